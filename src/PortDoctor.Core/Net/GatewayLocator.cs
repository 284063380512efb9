using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace PortDoctor.Core.Net;

/// <summary>
/// Finds the IPv4 default gateways of this PC and the local address used toward each. Reads the OS
/// interface table (on Linux .NET reads <c>/proc/net/route</c>); sends nothing on the network.
/// </summary>
public static class GatewayLocator
{
    /// <summary>
    /// Lists every up, non-loopback interface that has an IPv4 gateway, with the local address the OS
    /// would use to reach that gateway.
    /// </summary>
    /// <param name="gatewayOverride">When set (from <c>--gateway</c>), only this gateway is returned, with the
    /// local address the OS routes toward it; its prefix comes from the interface that holds that local address.</param>
    /// <returns>The gateways found; empty when the PC has no IPv4 default route.</returns>
    /// <exception cref="NetworkInformationException">The OS interface table could not be read.</exception>
    public static IReadOnlyList<GatewayInfo> Find(IPAddress? gatewayOverride = null)
    {
        var interfaces = NetworkInterface.GetAllNetworkInterfaces();
        var result = new List<GatewayInfo>();
        if (gatewayOverride is not null)
        {
            IPAddress? local = LocalAddressToward(gatewayOverride);
            if (local is null)
            {
                return result;
            }

            var (name, prefix) = FindInterfaceOf(interfaces, local);
            result.Add(new GatewayInfo(gatewayOverride, local, prefix, name));
            return result;
        }

        foreach (var nic in interfaces)
        {
            if (nic.OperationalStatus == OperationalStatus.Down || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            IPInterfaceProperties props;
            try
            {
                props = nic.GetIPProperties();
            }
            catch (NetworkInformationException)
            {
                continue;
            }

            foreach (var gw in props.GatewayAddresses)
            {
                var gateway = gw.Address;
                if (gateway.AddressFamily != AddressFamily.InterNetwork || gateway.Equals(IPAddress.Any))
                {
                    continue;
                }

                IPAddress? local = LocalAddressToward(gateway);
                if (local is null)
                {
                    continue;
                }

                int prefix = props.UnicastAddresses.FirstOrDefault(u => u.Address.Equals(local))?.PrefixLength ?? 24;
                if (result.All(r => !r.Gateway.Equals(gateway)))
                {
                    result.Add(new GatewayInfo(gateway, local, prefix, nic.Name));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The local address the OS picks as source toward <paramref name="destination"/>: a UDP socket is
    /// connected (which only consults the routing table; no packet is sent) and its local end read.
    /// </summary>
    /// <param name="destination">The remote address.</param>
    /// <returns>The local address, or null when there is no route.</returns>
    public static IPAddress? LocalAddressToward(IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        try
        {
            using var socket = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(new IPEndPoint(destination, 9));
            return (socket.LocalEndPoint as IPEndPoint)?.Address;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static (string Name, int Prefix) FindInterfaceOf(NetworkInterface[] interfaces, IPAddress local)
    {
        foreach (var nic in interfaces)
        {
            foreach (var u in nic.GetIPProperties().UnicastAddresses)
            {
                if (u.Address.Equals(local))
                {
                    return (nic.Name, u.PrefixLength);
                }
            }
        }

        return ("?", 24);
    }
}
