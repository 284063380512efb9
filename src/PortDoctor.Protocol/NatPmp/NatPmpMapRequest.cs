using System.Buffers.Binary;

namespace PortDoctor.Protocol.NatPmp;

/// <summary>
/// A NAT-PMP MAP request (RFC 6886 §3.3): version 0, opcode 1 (UDP) or 2 (TCP), 16 reserved bits, internal
/// port, suggested external port and requested lifetime in seconds, all big-endian; 12 bytes.
/// A lifetime of 0 deletes the mapping (§3.4).
/// </summary>
/// <param name="Protocol">UDP or TCP.</param>
/// <param name="InternalPort">The port on this host, 1–65535 (0 only together with lifetime 0: delete all, §3.4).</param>
/// <param name="SuggestedExternalPort">The external port wished for; 0 lets the gateway choose. The gateway may grant another.</param>
/// <param name="LifetimeSeconds">Requested lifetime in seconds; 0 deletes. RFC 6886 §3.3 recommends 7200.</param>
public readonly record struct NatPmpMapRequest(NatPmpMapProtocol Protocol, ushort InternalPort, ushort SuggestedExternalPort, uint LifetimeSeconds)
{
    /// <summary>
    /// The request that deletes the mapping of <paramref name="internalPort"/>: lifetime 0 and suggested external
    /// port 0, as RFC 6886 §3.4 requires.
    /// </summary>
    /// <param name="protocol">UDP or TCP.</param>
    /// <param name="internalPort">The internal port whose mapping goes.</param>
    /// <returns>The request.</returns>
    public static NatPmpMapRequest Delete(NatPmpMapProtocol protocol, ushort internalPort) => new(protocol, internalPort, 0, 0);

    /// <summary>The request opcode (1 or 2).</summary>
    public byte Opcode => (byte)Protocol;

    /// <summary>The opcode a response to this request carries (129 or 130).</summary>
    public byte ResponseOpcode => (byte)(NatPmpWire.ResponseFlag + (byte)Protocol);

    /// <summary>Writes the 12-byte request.</summary>
    /// <param name="destination">Where to write; needs <see cref="NatPmpWire.MapRequestBytes"/> bytes.</param>
    /// <param name="written">Bytes written (12), or 0 on failure.</param>
    /// <returns>False when <paramref name="destination"/> is too small or <see cref="Protocol"/> is not UDP/TCP.</returns>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < NatPmpWire.MapRequestBytes || Protocol is not (NatPmpMapProtocol.Udp or NatPmpMapProtocol.Tcp))
        {
            return false;
        }

        destination[0] = NatPmpWire.Version;
        destination[1] = Opcode;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0); // reserved, must be zero
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], InternalPort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], SuggestedExternalPort);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], LifetimeSeconds);
        written = NatPmpWire.MapRequestBytes;
        return true;
    }

    /// <summary>Returns the request as a new array.</summary>
    /// <returns>The 12 bytes.</returns>
    /// <exception cref="InvalidOperationException"><see cref="Protocol"/> is not UDP or TCP.</exception>
    public byte[] ToArray()
    {
        byte[] bytes = new byte[NatPmpWire.MapRequestBytes];
        return TryWrite(bytes, out _) ? bytes : throw new InvalidOperationException($"NAT-PMP MAP needs protocol UDP or TCP, not {(byte)Protocol}.");
    }
}
