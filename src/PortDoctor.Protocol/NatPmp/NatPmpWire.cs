namespace PortDoctor.Protocol.NatPmp;

/// <summary>Constants of the NAT-PMP wire format (RFC 6886).</summary>
public static class NatPmpWire
{
    /// <summary>The UDP port a NAT-PMP (and PCP) server listens on (RFC 6886 §3.1).</summary>
    public const int ServerPort = 5351;

    /// <summary>The only NAT-PMP version (RFC 6886 §3.2).</summary>
    public const byte Version = 0;

    /// <summary>Opcode of the external address request (RFC 6886 §3.2).</summary>
    public const byte ExternalAddressOpcode = 0;

    /// <summary>Added to a request opcode to form the response opcode (RFC 6886 §3.2, §3.3).</summary>
    public const byte ResponseFlag = 128;

    /// <summary>Bytes of the header every response starts with: version, opcode, 16-bit result code.</summary>
    public const int ResponseHeaderBytes = 4;

    /// <summary>Bytes of the shortest answer that still names a result: the header plus the 32-bit epoch.
    /// Some gateways send only this for errors (docs/quirks.md#Q-NATPMP-SHORT-ERROR).</summary>
    public const int ShortErrorBytes = 8;

    /// <summary>Bytes of an external address request (version, opcode 0).</summary>
    public const int ExternalAddressRequestBytes = 2;

    /// <summary>Bytes of an external address response (RFC 6886 §3.2).</summary>
    public const int ExternalAddressResponseBytes = 12;

    /// <summary>Bytes of a MAP request (RFC 6886 §3.3).</summary>
    public const int MapRequestBytes = 12;

    /// <summary>Bytes of a MAP response (RFC 6886 §3.3).</summary>
    public const int MapResponseBytes = 16;
}
