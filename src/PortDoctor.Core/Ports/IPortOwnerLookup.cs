using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Ports;

/// <summary>Tells which processes listen on (TCP) or are bound to (UDP) a local port.</summary>
public interface IPortOwnerLookup
{
    /// <summary>Lists every socket bound to <paramref name="port"/> for <paramref name="protocol"/>, IPv4 and IPv6.</summary>
    /// <param name="protocol">TCP (listening sockets only) or UDP (bound sockets).</param>
    /// <param name="port">The port, 1–65535.</param>
    /// <returns>The owners; empty when nothing is bound. Never throws for unreadable OS tables: returns what it could read.</returns>
    IReadOnlyList<PortOwner> FindOwners(TransportProtocol protocol, int port);
}
