using System.Buffers.Binary;
using System.Text;

namespace PortDoctor.Protocol.Stun;

/// <summary>Builds STUN Binding requests (RFC 8489 §6.1, §7.1). Pure: the transaction id is an argument.</summary>
public static class StunMessageWriter
{
    /// <summary>Bytes a Binding request takes: header, optional SOFTWARE (padded), optional FINGERPRINT.</summary>
    /// <param name="software">The SOFTWARE value, or null.</param>
    /// <param name="fingerprint">Whether FINGERPRINT is appended.</param>
    /// <returns>The length in bytes.</returns>
    public static int BindingRequestLength(string? software, bool fingerprint) =>
        StunConstants.HeaderLength + (software is null ? 0 : 4 + Pad4(Encoding.UTF8.GetByteCount(software))) + (fingerprint ? 8 : 0);

    /// <summary>Writes a Binding request.</summary>
    /// <param name="destination">Where to write; at least <see cref="BindingRequestLength"/> bytes.</param>
    /// <param name="transactionId">The 12-byte transaction id (RFC 8489 §5: uniformly random, chosen by the caller).</param>
    /// <param name="software">SOFTWARE value (at most 763 bytes per §14.14), or null.</param>
    /// <param name="fingerprint">Append FINGERPRINT (§14.7).</param>
    /// <param name="written">Bytes written.</param>
    /// <returns>False when the destination is too small, the id is not 12 bytes, or SOFTWARE is too long.</returns>
    public static bool TryWriteBindingRequest(Span<byte> destination, ReadOnlySpan<byte> transactionId, string? software, bool fingerprint, out int written)
    {
        written = 0;
        int softwareBytes = software is null ? 0 : Encoding.UTF8.GetByteCount(software);
        int length = BindingRequestLength(software, fingerprint);
        if (transactionId.Length != StunConstants.TransactionIdLength || softwareBytes > 763 || destination.Length < length)
        {
            return false;
        }

        var message = destination[..length];
        message.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(message, StunConstants.BindingRequest);
        BinaryPrimitives.WriteUInt32BigEndian(message[4..], StunConstants.MagicCookie);
        transactionId.CopyTo(message[8..]);
        int offset = StunConstants.HeaderLength;
        if (software is not null)
        {
            BinaryPrimitives.WriteUInt16BigEndian(message[offset..], (ushort)StunAttributeType.Software);
            BinaryPrimitives.WriteUInt16BigEndian(message[(offset + 2)..], (ushort)softwareBytes);
            Encoding.UTF8.GetBytes(software, message[(offset + 4)..]);
            offset += 4 + Pad4(softwareBytes);
        }

        if (fingerprint)
        {
            // The length field must already count the FINGERPRINT attribute when the CRC is computed (§14.7).
            BinaryPrimitives.WriteUInt16BigEndian(message[2..], (ushort)(offset + 8 - StunConstants.HeaderLength));
            BinaryPrimitives.WriteUInt16BigEndian(message[offset..], (ushort)StunAttributeType.Fingerprint);
            BinaryPrimitives.WriteUInt16BigEndian(message[(offset + 2)..], 4);
            BinaryPrimitives.WriteUInt32BigEndian(message[(offset + 4)..], StunFingerprint.Compute(message[..offset]));
            offset += 8;
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(message[2..], (ushort)(offset - StunConstants.HeaderLength));
        }

        written = offset;
        return true;
    }

    internal static int Pad4(int n) => (n + 3) & ~3;
}
