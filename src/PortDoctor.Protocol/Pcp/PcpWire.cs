namespace PortDoctor.Protocol.Pcp;

/// <summary>Constants of the PCP wire format (RFC 6887).</summary>
public static class PcpWire
{
    /// <summary>The UDP port a PCP server listens on (RFC 6887 §19.1), shared with NAT-PMP.</summary>
    public const int ServerPort = 5351;

    /// <summary>The PCP version this implementation speaks (RFC 6887 §7.1).</summary>
    public const byte Version = 2;

    /// <summary>The R bit in the opcode byte: set in responses (RFC 6887 §7.1, §7.2).</summary>
    public const byte ResponseBit = 0x80;

    /// <summary>Bytes of the common request and response headers (RFC 6887 §7.1, §7.2).</summary>
    public const int HeaderBytes = 24;

    /// <summary>Bytes of the MAP opcode-specific body (RFC 6887 §11.1).</summary>
    public const int MapBodyBytes = 36;

    /// <summary>Bytes of a MAP request without options: header plus body.</summary>
    public const int MapRequestBytes = HeaderBytes + MapBodyBytes;

    /// <summary>The largest PCP message, in bytes (RFC 6887 §7).</summary>
    public const int MaxMessageBytes = 1100;

    /// <summary>Bytes of an option header: code, reserved, 16-bit length (RFC 6887 §7.3).</summary>
    public const int OptionHeaderBytes = 4;

    /// <summary>Bytes of the mapping nonce (RFC 6887 §11.1).</summary>
    public const int NonceBytes = 12;

    /// <summary>Option code of PREFER_FAILURE (RFC 6887 §13.2). Never sent by PortDoctor: without it the server may
    /// grant another external port instead of failing, and old servers mishandle it (docs/quirks.md#Q-PCP-PREFER-FAILURE).</summary>
    public const byte PreferFailureOptionCode = 2;
}
