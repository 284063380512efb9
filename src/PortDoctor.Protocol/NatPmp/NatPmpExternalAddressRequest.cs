namespace PortDoctor.Protocol.NatPmp;

/// <summary>Writes the NAT-PMP external address request (RFC 6886 §3.2): version 0, opcode 0, nothing else.</summary>
public static class NatPmpExternalAddressRequest
{
    /// <summary>Writes the 2-byte request.</summary>
    /// <param name="destination">Where to write; needs <see cref="NatPmpWire.ExternalAddressRequestBytes"/> bytes.</param>
    /// <param name="written">Bytes written (2), or 0 when <paramref name="destination"/> is too small.</param>
    /// <returns>False when <paramref name="destination"/> is too small.</returns>
    public static bool TryWrite(Span<byte> destination, out int written)
    {
        if (destination.Length < NatPmpWire.ExternalAddressRequestBytes)
        {
            written = 0;
            return false;
        }

        destination[0] = NatPmpWire.Version;
        destination[1] = NatPmpWire.ExternalAddressOpcode;
        written = NatPmpWire.ExternalAddressRequestBytes;
        return true;
    }

    /// <summary>Returns the request as a new array.</summary>
    /// <returns>The 2 bytes.</returns>
    public static byte[] ToArray()
    {
        byte[] bytes = new byte[NatPmpWire.ExternalAddressRequestBytes];
        TryWrite(bytes, out _);
        return bytes;
    }
}
