using System.IO.Hashing;

namespace PortDoctor.Protocol.Stun;

/// <summary>The FINGERPRINT value (RFC 8489 §14.7): CRC-32 (ISO HDLC, as in zlib) of the preceding bytes XOR 0x5354554E.</summary>
public static class StunFingerprint
{
    /// <summary>Computes the FINGERPRINT value over <paramref name="messageUpToAttribute"/>.</summary>
    /// <param name="messageUpToAttribute">The message bytes before the FINGERPRINT attribute header, with the header's length field already covering it.</param>
    /// <returns>The 32-bit value to place in the attribute.</returns>
    public static uint Compute(ReadOnlySpan<byte> messageUpToAttribute) =>
        Crc32.HashToUInt32(messageUpToAttribute) ^ StunConstants.FingerprintXor;
}
