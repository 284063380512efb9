using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PortDoctor.Protocol.Stun;

/// <summary>
/// MESSAGE-INTEGRITY check (RFC 8489 §14.5) for short-term credentials (key = the password as UTF-8;
/// OpaqueString/SASLprep is the identity for the ASCII passwords used here). Public STUN servers used
/// for address discovery do not authenticate, so PortDoctor only needs this to verify test vectors and
/// servers that add it anyway.
/// </summary>
public static class StunMessageIntegrity
{
    /// <summary>Verifies the HMAC-SHA1 in the MESSAGE-INTEGRITY attribute at <paramref name="attributeOffset"/>.</summary>
    /// <param name="message">The whole message as received.</param>
    /// <param name="attributeOffset">The attribute header's offset (from <see cref="StunBindingResponse.MessageIntegrityOffset"/> or the reader).</param>
    /// <param name="password">The short-term password.</param>
    /// <returns>True when the HMAC matches; false when it does not or the offset is not a MESSAGE-INTEGRITY attribute.</returns>
    public static bool Verify(ReadOnlySpan<byte> message, int attributeOffset, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (attributeOffset < StunConstants.HeaderLength || attributeOffset + 24 > message.Length
            || BinaryPrimitives.ReadUInt16BigEndian(message[attributeOffset..]) != (ushort)StunAttributeType.MessageIntegrity
            || BinaryPrimitives.ReadUInt16BigEndian(message[(attributeOffset + 2)..]) != 20)
        {
            return false;
        }

        // The HMAC covers the header with its length field rewritten to end just after MESSAGE-INTEGRITY.
        Span<byte> covered = stackalloc byte[attributeOffset];
        message[..attributeOffset].CopyTo(covered);
        BinaryPrimitives.WriteUInt16BigEndian(covered[2..], (ushort)(attributeOffset + 24 - StunConstants.HeaderLength));
        Span<byte> mac = stackalloc byte[20];
#pragma warning disable CA5350 // RFC 8489 §14.5 fixes HMAC-SHA1 for MESSAGE-INTEGRITY; the choice is the protocol's, not ours.
        HMACSHA1.HashData(Encoding.UTF8.GetBytes(password), covered, mac);
#pragma warning restore CA5350
        return CryptographicOperations.FixedTimeEquals(mac, message.Slice(attributeOffset + 4, 20));
    }
}
