using System.Net;

namespace PortDoctor.Protocol.Stun;

/// <summary>Why a datagram was not accepted as the answer to our Binding request.</summary>
public enum StunReadError
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>Shorter than the 20-byte header, or the length field runs past the datagram.</summary>
    Truncated,

    /// <summary>Top two bits not zero, no magic cookie, or a length that is not a multiple of 4: not STUN (RFC 8489 §6.3).</summary>
    NotStun,

    /// <summary>STUN, but not a Binding success or error response.</summary>
    UnexpectedType,

    /// <summary>The transaction id is not the one we sent: a late or forged answer (RFC 8489 §6.3.1).</summary>
    WrongTransaction,

    /// <summary>An attribute's length runs past the message.</summary>
    MalformedAttribute,

    /// <summary>FINGERPRINT present but wrong.</summary>
    BadFingerprint,

    /// <summary>A success response without a usable (XOR-)MAPPED-ADDRESS.</summary>
    NoMappedAddress,
}

/// <summary>A Binding response as read from the wire.</summary>
/// <param name="IsSuccess">True for a success response, false for an error response.</param>
/// <param name="MappedEndPoint">The server-reflexive transport address (XOR-MAPPED-ADDRESS preferred over MAPPED-ADDRESS); null on error responses.</param>
/// <param name="ErrorCode">ERROR-CODE class*100+number (300–699) on error responses.</param>
/// <param name="ErrorReason">ERROR-CODE reason phrase.</param>
/// <param name="Software">SOFTWARE, when present.</param>
/// <param name="HasFingerprint">True when a FINGERPRINT attribute was present (and valid: an invalid one is rejected).</param>
/// <param name="MessageIntegrityOffset">Offset of the MESSAGE-INTEGRITY attribute header, or -1; for <see cref="StunMessageIntegrity.Verify"/>.</param>
public sealed record StunBindingResponse(
    bool IsSuccess,
    IPEndPoint? MappedEndPoint,
    int? ErrorCode,
    string? ErrorReason,
    string? Software,
    bool HasFingerprint,
    int MessageIntegrityOffset);
