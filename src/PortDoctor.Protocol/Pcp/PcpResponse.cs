using System.Net;

namespace PortDoctor.Protocol.Pcp;

/// <summary>A PCP response (RFC 6887 §7.2), with the MAP body when there is one.</summary>
/// <param name="Opcode">The opcode, R bit removed.</param>
/// <param name="ResultCode">The result code, unknown values kept raw.</param>
/// <param name="LifetimeSeconds">On success the lifetime granted; on error how long the error is likely to last (§7.2), in seconds.</param>
/// <param name="EpochSeconds">The server's epoch time in seconds (§8.5).</param>
/// <param name="Map">The MAP body; null for ANNOUNCE and for a MAP error answer that carries only the header.</param>
/// <param name="OptionCodes">Codes of the options that followed, in order; all are skipped (§7.3).</param>
public sealed record PcpResponse(
    PcpOpcode Opcode,
    PcpResultCode ResultCode,
    uint LifetimeSeconds,
    uint EpochSeconds,
    PcpMapBody? Map,
    IReadOnlyList<byte> OptionCodes);

/// <summary>The MAP opcode body of a response (RFC 6887 §11.1).</summary>
/// <param name="Nonce">The mapping nonce echoed by the server.</param>
/// <param name="Protocol">The IANA protocol number (6 TCP, 17 UDP) echoed by the server.</param>
/// <param name="InternalPort">The internal port echoed by the server.</param>
/// <param name="AssignedExternalPort">The external port granted (may differ from the suggestion).</param>
/// <param name="AssignedExternalAddress">The external address granted; IPv4-mapped values come back as IPv4.</param>
public sealed record PcpMapBody(PcpNonce Nonce, PcpMapProtocol Protocol, ushort InternalPort, ushort AssignedExternalPort, IPAddress AssignedExternalAddress);

/// <summary>Why a datagram was not accepted as the expected PCP response.</summary>
public enum PcpReadFailure
{
    /// <summary>No failure.</summary>
    None,

    /// <summary>Shorter than the header or the body its result requires.</summary>
    Truncated,

    /// <summary>Longer than 1100 bytes, not a multiple of 4, or an option runs past the end (§7, §7.3).</summary>
    Malformed,

    /// <summary>
    /// The server answered with a NAT-PMP "unsupported version" (version 0, result 1; often the 8-byte form,
    /// docs/quirks.md#Q-PCP-NATPMP-ONLY): it speaks only NAT-PMP, so the client should switch to NAT-PMP at once (RFC 6887 §9).
    /// </summary>
    NatPmpOnly,

    /// <summary>A version other than 2 (or a NAT-PMP answer other than "unsupported version").</summary>
    WrongVersion,

    /// <summary>The R bit is clear: a request, not a response.</summary>
    NotAResponse,

    /// <summary>A response to another opcode.</summary>
    WrongOpcode,

    /// <summary>A MAP response with another mapping nonce: not the answer to this request (§11.3).</summary>
    WrongNonce,

    /// <summary>A MAP response for another protocol.</summary>
    WrongProtocol,

    /// <summary>A MAP response for another internal port.</summary>
    WrongInternalPort,
}
