namespace PortDoctor.Protocol.NatPmp;

/// <summary>
/// The transport protocol of a NAT-PMP mapping. The values are the request opcodes (RFC 6886 §3.3):
/// MAP UDP is opcode 1, MAP TCP is opcode 2; the response opcode is 128 plus these.
/// </summary>
public enum NatPmpMapProtocol : byte
{
    /// <summary>Opcode 1: map a UDP port.</summary>
    Udp = 1,

    /// <summary>Opcode 2: map a TCP port.</summary>
    Tcp = 2,
}
