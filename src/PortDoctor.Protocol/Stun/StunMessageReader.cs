using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace PortDoctor.Protocol.Stun;

/// <summary>
/// Reads a Binding response (RFC 8489 §6.3, §7.3.3) and checks it belongs to our transaction. Pure, never
/// throws on malformed input; unknown comprehension-optional attributes are skipped.
/// </summary>
public static class StunMessageReader
{
    /// <summary>True when <paramref name="datagram"/> looks like a STUN message at all (§6.3: top bits zero, cookie, length).</summary>
    /// <param name="datagram">The received bytes.</param>
    /// <returns>True for a plausible STUN message.</returns>
    public static bool LooksLikeStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= StunConstants.HeaderLength
        && (datagram[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == StunConstants.MagicCookie
        && (BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]) & 3) == 0;

    /// <summary>Reads a Binding success or error response to the request with <paramref name="expectedTransactionId"/>.</summary>
    /// <param name="datagram">The received bytes.</param>
    /// <param name="expectedTransactionId">The 12-byte id we sent.</param>
    /// <param name="response">The response when the result is <see cref="StunReadError.None"/>.</param>
    /// <returns><see cref="StunReadError.None"/> or why the datagram was rejected.</returns>
    public static StunReadError TryReadBindingResponse(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> expectedTransactionId, out StunBindingResponse? response)
    {
        response = null;
        if (datagram.Length < StunConstants.HeaderLength)
        {
            return StunReadError.Truncated;
        }

        if (!LooksLikeStun(datagram))
        {
            return StunReadError.NotStun;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if (StunConstants.HeaderLength + length > datagram.Length)
        {
            return StunReadError.Truncated;
        }

        var message = datagram[..(StunConstants.HeaderLength + length)];
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(message);
        if (type is not (StunConstants.BindingSuccessResponse or StunConstants.BindingErrorResponse))
        {
            return StunReadError.UnexpectedType;
        }

        var transactionId = message.Slice(8, StunConstants.TransactionIdLength);
        if (!transactionId.SequenceEqual(expectedTransactionId))
        {
            return StunReadError.WrongTransaction;
        }

        IPEndPoint? xorMapped = null, mapped = null;
        int? errorCode = null;
        string? reason = null, software = null;
        bool fingerprint = false;
        int integrityOffset = -1;
        int offset = StunConstants.HeaderLength;
        while (offset < message.Length)
        {
            if (offset + 4 > message.Length)
            {
                return StunReadError.MalformedAttribute;
            }

            var attributeType = (StunAttributeType)BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
            if (offset + 4 + valueLength > message.Length)
            {
                return StunReadError.MalformedAttribute;
            }

            var value = message.Slice(offset + 4, valueLength);
            switch (attributeType)
            {
                case StunAttributeType.XorMappedAddress:
                    xorMapped ??= ReadAddress(value, xor: true, transactionId);
                    break;
                case StunAttributeType.MappedAddress:
                    mapped ??= ReadAddress(value, xor: false, transactionId);
                    break;
                case StunAttributeType.ErrorCode when valueLength >= 4:
                    errorCode = ((value[2] & 0x07) * 100) + value[3];
                    reason = Encoding.UTF8.GetString(value[4..]);
                    break;
                case StunAttributeType.Software:
                    software = Encoding.UTF8.GetString(value);
                    break;
                case StunAttributeType.MessageIntegrity:
                    integrityOffset = offset;
                    break;
                case StunAttributeType.Fingerprint:
                    // FINGERPRINT is last (§14.7) and covers everything before it.
                    if (valueLength != 4 || BinaryPrimitives.ReadUInt32BigEndian(value) != StunFingerprint.Compute(message[..offset]))
                    {
                        return StunReadError.BadFingerprint;
                    }

                    fingerprint = true;
                    break;
            }

            offset += 4 + StunMessageWriter.Pad4(valueLength);
        }

        bool success = type == StunConstants.BindingSuccessResponse;
        var endPoint = xorMapped ?? mapped;
        if (success && endPoint is null)
        {
            return StunReadError.NoMappedAddress;
        }

        response = new StunBindingResponse(success, success ? endPoint : null, errorCode, reason, software, fingerprint, integrityOffset);
        return StunReadError.None;
    }

    /// <summary>Reads a (XOR-)MAPPED-ADDRESS value (RFC 8489 §14.1, §14.2); null when malformed.</summary>
    private static IPEndPoint? ReadAddress(ReadOnlySpan<byte> value, bool xor, ReadOnlySpan<byte> transactionId)
    {
        if (value.Length < 8)
        {
            return null;
        }

        byte family = value[1];
        int port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        int addressLength = family switch { 0x01 => 4, 0x02 => 16, _ => 0 };
        if (addressLength == 0 || value.Length < 4 + addressLength)
        {
            return null;
        }

        Span<byte> address = stackalloc byte[addressLength];
        value.Slice(4, addressLength).CopyTo(address);
        if (xor)
        {
            port ^= (int)(StunConstants.MagicCookie >> 16);
            Span<byte> pad = stackalloc byte[16];
            BinaryPrimitives.WriteUInt32BigEndian(pad, StunConstants.MagicCookie);
            transactionId.CopyTo(pad[4..]);
            for (int i = 0; i < addressLength; i++)
            {
                address[i] ^= pad[i];
            }
        }

        return new IPEndPoint(new IPAddress(address), port);
    }
}
