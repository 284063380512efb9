using System.Buffers.Binary;
using System.Globalization;

namespace PortDoctor.Protocol.Pcp;

/// <summary>
/// The 96-bit mapping nonce of a PCP MAP request (RFC 6887 §11.1). The client picks it at random when it
/// creates a mapping and must send the same value to renew or delete it (§11.2, docs/quirks.md#Q-PCP-NONCE). This type
/// never generates one: the caller passes random bytes in.
/// </summary>
public readonly record struct PcpNonce
{
    private readonly ulong _high;
    private readonly uint _low;

    private PcpNonce(ulong high, uint low)
    {
        _high = high;
        _low = low;
    }

    /// <summary>Builds a nonce from 12 bytes (network order).</summary>
    /// <param name="bytes">Exactly <see cref="PcpWire.NonceBytes"/> bytes.</param>
    /// <returns>The nonce.</returns>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 12 bytes long.</exception>
    public static PcpNonce FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != PcpWire.NonceBytes)
        {
            throw new ArgumentException($"A PCP nonce is {PcpWire.NonceBytes} bytes, not {bytes.Length}.", nameof(bytes));
        }

        return new PcpNonce(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]));
    }

    /// <summary>Parses the 24-hex-digit form stored in the journal (<see cref="ToHex"/>); letter case is ignored.</summary>
    /// <param name="hex">The text.</param>
    /// <param name="nonce">The nonce when the result is true.</param>
    /// <returns>True when <paramref name="hex"/> is exactly 24 hex digits.</returns>
    public static bool TryParseHex(string? hex, out PcpNonce nonce)
    {
        nonce = default;
        if (hex is null || hex.Length != PcpWire.NonceBytes * 2 || !hex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        nonce = new PcpNonce(
            ulong.Parse(hex.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
            uint.Parse(hex.AsSpan(16, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>Writes the 12 bytes in network order.</summary>
    /// <param name="destination">At least 12 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 12 bytes.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < PcpWire.NonceBytes)
        {
            throw new ArgumentException($"A PCP nonce needs {PcpWire.NonceBytes} bytes.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], _low);
    }

    /// <summary>The nonce as 24 lower-case hex digits (the form <c>MappingRecord.PcpNonce</c> stores).</summary>
    /// <returns>The text.</returns>
    public string ToHex() => string.Create(CultureInfo.InvariantCulture, $"{_high:x16}{_low:x8}");

    /// <inheritdoc/>
    public override string ToString() => ToHex();
}
