using System.Buffers.Binary;
using System.Net;

namespace PortDoctor.Protocol.Pcp;

/// <summary>
/// Writes the 24-byte PCP common request header (RFC 6887 §7.1): version 2, R bit 0 and the 7-bit opcode,
/// 16 reserved bits, requested lifetime in seconds, and the client's own address in 128 bits.
/// </summary>
public static class PcpRequestHeader
{
    /// <summary>Writes the header.</summary>
    /// <param name="destination">At least <see cref="PcpWire.HeaderBytes"/> bytes.</param>
    /// <param name="opcode">The opcode, 0–127.</param>
    /// <param name="lifetimeSeconds">Requested lifetime in seconds (0 deletes a MAP; ANNOUNCE sends 0).</param>
    /// <param name="clientAddress">The source address the request leaves from; the server answers ADDRESS_MISMATCH
    /// when it differs (§8.1). IPv4 is written IPv4-mapped.</param>
    /// <returns>False when <paramref name="destination"/> is too short, the opcode is above 127 or the address is neither IPv4 nor IPv6.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="clientAddress"/> is null.</exception>
    public static bool TryWrite(Span<byte> destination, PcpOpcode opcode, uint lifetimeSeconds, IPAddress clientAddress)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        if (destination.Length < PcpWire.HeaderBytes || (byte)opcode >= PcpWire.ResponseBit)
        {
            return false;
        }

        destination[0] = PcpWire.Version;
        destination[1] = (byte)opcode; // R bit 0: a request
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0); // reserved
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], lifetimeSeconds);
        return PcpAddress.TryWrite(clientAddress, destination[8..24]);
    }
}

/// <summary>Writes a PCP ANNOUNCE request (RFC 6887 §14.1): the common header alone, opcode 0, lifetime 0.</summary>
public static class PcpAnnounceRequest
{
    /// <summary>Writes the 24-byte request.</summary>
    /// <param name="destination">At least 24 bytes.</param>
    /// <param name="clientAddress">The source address the request leaves from.</param>
    /// <param name="written">Bytes written (24), or 0 on failure.</param>
    /// <returns>False when <paramref name="destination"/> is too short or the address is neither IPv4 nor IPv6.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="clientAddress"/> is null.</exception>
    public static bool TryWrite(Span<byte> destination, IPAddress clientAddress, out int written)
    {
        bool ok = PcpRequestHeader.TryWrite(destination, PcpOpcode.Announce, 0, clientAddress);
        written = ok ? PcpWire.HeaderBytes : 0;
        return ok;
    }

    /// <summary>Returns the request as a new array.</summary>
    /// <param name="clientAddress">The source address the request leaves from (IPv4 or IPv6).</param>
    /// <returns>The 24 bytes.</returns>
    /// <exception cref="ArgumentException"><paramref name="clientAddress"/> is neither IPv4 nor IPv6.</exception>
    public static byte[] ToArray(IPAddress clientAddress)
    {
        byte[] bytes = new byte[PcpWire.HeaderBytes];
        return TryWrite(bytes, clientAddress, out _) ? bytes : throw new ArgumentException("The client address must be IPv4 or IPv6.", nameof(clientAddress));
    }
}
