using System.Net;

namespace PortDoctor.Core.Net;

/// <summary>An IPv4 default gateway and the local interface address this PC uses to reach it.</summary>
/// <param name="Gateway">The gateway (router) LAN address.</param>
/// <param name="LocalAddress">This PC's address on the gateway's subnet (the source address the OS picks toward the gateway).</param>
/// <param name="PrefixLength">The prefix length of the local interface's subnet, 0–32.</param>
/// <param name="InterfaceName">The OS name of the interface (for messages).</param>
public sealed record GatewayInfo(IPAddress Gateway, IPAddress LocalAddress, int PrefixLength, string InterfaceName)
{
    /// <summary>True when <paramref name="address"/> is in the local interface's subnet.</summary>
    /// <param name="address">An IPv4 address.</param>
    /// <returns>True when on-link. An IPv6 address is never on-link here.</returns>
    public bool IsOnLocalSubnet(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != LocalAddress.AddressFamily || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return false;
        }

        uint mask = PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);
        uint a = ToUInt32(address), b = ToUInt32(LocalAddress);
        return (a & mask) == (b & mask);
    }

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }
}
