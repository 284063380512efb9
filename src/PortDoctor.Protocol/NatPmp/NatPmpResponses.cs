using System.Net;

namespace PortDoctor.Protocol.NatPmp;

/// <summary>The 4-byte header every NAT-PMP response starts with (RFC 6886 §3.2, §3.5).</summary>
/// <param name="Version">The version byte; 0 for NAT-PMP.</param>
/// <param name="Opcode">The response opcode: 128 plus the request opcode.</param>
/// <param name="ResultCode">The 16-bit result code, unknown values kept raw.</param>
public readonly record struct NatPmpResponseHeader(byte Version, byte Opcode, NatPmpResultCode ResultCode);

/// <summary>An external address response (RFC 6886 §3.2).</summary>
/// <param name="ResultCode">The result code; only <see cref="NatPmpResultCode.Success"/> carries an address.</param>
/// <param name="EpochSeconds">Seconds since the gateway's mapping table was (re)initialised (§3.6).</param>
/// <param name="ExternalAddress">The external IPv4 address exactly as sent (it may be 0.0.0.0 when the WAN is down);
/// null for an error answer.</param>
public readonly record struct NatPmpExternalAddressResponse(NatPmpResultCode ResultCode, uint EpochSeconds, IPAddress? ExternalAddress);

/// <summary>A MAP response (RFC 6886 §3.3).</summary>
/// <param name="Protocol">UDP or TCP (from the response opcode).</param>
/// <param name="ResultCode">The result code.</param>
/// <param name="EpochSeconds">Seconds since the gateway's mapping table was (re)initialised (§3.6).</param>
/// <param name="InternalPort">The internal port the mapping forwards to; 0 in a short error answer.</param>
/// <param name="MappedExternalPort">The external port granted, which may differ from the one suggested; 0 in a short error answer.</param>
/// <param name="LifetimeSeconds">The lifetime granted in seconds; 0 for a deletion or a short error answer.</param>
/// <param name="IsShortForm">True when the gateway sent only header and epoch (an error answer, docs/quirks.md#Q-NATPMP-SHORT-ERROR).</param>
public readonly record struct NatPmpMapResponse(
    NatPmpMapProtocol Protocol,
    NatPmpResultCode ResultCode,
    uint EpochSeconds,
    ushort InternalPort,
    ushort MappedExternalPort,
    uint LifetimeSeconds,
    bool IsShortForm);

/// <summary>Why a datagram was not accepted as the expected NAT-PMP response.</summary>
public enum NatPmpReadFailure
{
    /// <summary>No failure.</summary>
    None,

    /// <summary>Too short for the fields its result code requires.</summary>
    Truncated,

    /// <summary>The version byte is not 0 (not NAT-PMP, e.g. a PCP answer).</summary>
    WrongVersion,

    /// <summary>The opcode lacks the response bit 128 (a request, or an echo of ours).</summary>
    NotAResponse,

    /// <summary>A response, but to another opcode than the one asked.</summary>
    WrongOpcode,
}
