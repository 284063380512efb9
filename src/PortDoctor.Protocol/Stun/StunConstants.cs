namespace PortDoctor.Protocol.Stun;

/// <summary>Numbers fixed by RFC 8489 (STUN).</summary>
public static class StunConstants
{
    /// <summary>The magic cookie every RFC 5389/8489 message carries at bytes 4–7 (RFC 8489 §5).</summary>
    public const uint MagicCookie = 0x2112A442;

    /// <summary>Length of the fixed message header in bytes (RFC 8489 §5).</summary>
    public const int HeaderLength = 20;

    /// <summary>Length of the transaction id in bytes (96 bits, RFC 8489 §5).</summary>
    public const int TransactionIdLength = 12;

    /// <summary>Binding request (method 0x001, class request; RFC 8489 §18.2).</summary>
    public const ushort BindingRequest = 0x0001;

    /// <summary>Binding success response (method 0x001, class success).</summary>
    public const ushort BindingSuccessResponse = 0x0101;

    /// <summary>Binding error response (method 0x001, class error).</summary>
    public const ushort BindingErrorResponse = 0x0111;

    /// <summary>XOR value applied to the CRC-32 in FINGERPRINT: "STUN" in ASCII (RFC 8489 §14.7).</summary>
    public const uint FingerprintXor = 0x5354554E;

    /// <summary>Largest message we accept or build, bytes: a UDP datagram without fragmentation on any common path (RFC 8489 §6.1 recommends staying under the path MTU).</summary>
    public const int MaxMessageLength = 1280;
}

/// <summary>Attribute types this codec understands (RFC 8489 §18.3). Others are skipped.</summary>
public enum StunAttributeType : ushort
{
    /// <summary>MAPPED-ADDRESS (RFC 8489 §14.1): the reflexive address in clear; old servers send only this.</summary>
    MappedAddress = 0x0001,

    /// <summary>USERNAME (RFC 8489 §14.3).</summary>
    Username = 0x0006,

    /// <summary>MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 over the message up to this attribute.</summary>
    MessageIntegrity = 0x0008,

    /// <summary>ERROR-CODE (RFC 8489 §14.8).</summary>
    ErrorCode = 0x0009,

    /// <summary>XOR-MAPPED-ADDRESS (RFC 8489 §14.2): the reflexive address, XOR-ed against the cookie and transaction id.</summary>
    XorMappedAddress = 0x0020,

    /// <summary>SOFTWARE (RFC 8489 §14.14).</summary>
    Software = 0x8022,

    /// <summary>FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message up to this attribute, XOR 0x5354554E.</summary>
    Fingerprint = 0x8028,
}
