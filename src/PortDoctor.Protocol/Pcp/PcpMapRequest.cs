using System.Buffers.Binary;
using System.Net;

namespace PortDoctor.Protocol.Pcp;

/// <summary>
/// A PCP MAP request (RFC 6887 §11.1): the common header followed by the 36-byte MAP body (nonce, protocol,
/// 24 reserved bits, internal port, suggested external port, suggested external address); 60 bytes. No options
/// are written: in particular never PREFER_FAILURE (docs/quirks.md#Q-PCP-PREFER-FAILURE). Lifetime 0 deletes the mapping (§15).
/// </summary>
/// <param name="Nonce">The mapping nonce; the same value must be used to renew or delete (§11.2).</param>
/// <param name="Protocol">TCP or UDP.</param>
/// <param name="InternalPort">The port on this host, 1–65535.</param>
/// <param name="SuggestedExternalPort">The external port wished for; 0 lets the server choose.</param>
/// <param name="SuggestedExternalAddress">The external address wished for; <see cref="PcpAddress.AnyIPv4"/>
/// (or <see cref="IPAddress.Any"/>, written the same way) for "any IPv4 address".</param>
/// <param name="LifetimeSeconds">Requested lifetime in seconds; 0 deletes.</param>
/// <param name="ClientAddress">This host's address as the server sees it (the packet's source address).</param>
public sealed record PcpMapRequest(
    PcpNonce Nonce,
    PcpMapProtocol Protocol,
    ushort InternalPort,
    ushort SuggestedExternalPort,
    IPAddress SuggestedExternalAddress,
    uint LifetimeSeconds,
    IPAddress ClientAddress)
{
    /// <summary>Writes the 60-byte request.</summary>
    /// <param name="destination">At least <see cref="PcpWire.MapRequestBytes"/> bytes.</param>
    /// <param name="written">Bytes written (60), or 0 on failure.</param>
    /// <returns>False when <paramref name="destination"/> is too short or an address is neither IPv4 nor IPv6.</returns>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < PcpWire.MapRequestBytes
            || ClientAddress is null
            || SuggestedExternalAddress is null
            || !PcpRequestHeader.TryWrite(destination, PcpOpcode.Map, LifetimeSeconds, ClientAddress))
        {
            return false;
        }

        Span<byte> body = destination.Slice(PcpWire.HeaderBytes, PcpWire.MapBodyBytes);
        Nonce.WriteTo(body);
        body[12] = (byte)Protocol;
        body[13] = body[14] = body[15] = 0; // reserved
        BinaryPrimitives.WriteUInt16BigEndian(body[16..], InternalPort);
        BinaryPrimitives.WriteUInt16BigEndian(body[18..], SuggestedExternalPort);
        if (!PcpAddress.TryWrite(SuggestedExternalAddress, body[20..36]))
        {
            return false;
        }

        written = PcpWire.MapRequestBytes;
        return true;
    }

    /// <summary>Returns the request as a new array.</summary>
    /// <returns>The 60 bytes.</returns>
    /// <exception cref="InvalidOperationException">An address is neither IPv4 nor IPv6.</exception>
    public byte[] ToArray()
    {
        byte[] bytes = new byte[PcpWire.MapRequestBytes];
        return TryWrite(bytes, out _) ? bytes : throw new InvalidOperationException("PCP MAP needs IPv4 or IPv6 client and suggested addresses.");
    }
}
