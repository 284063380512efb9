using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Firewall;

/// <summary>The IP version of the inbound connection being evaluated.</summary>
public enum IpVersion
{
    /// <summary>IPv4 (what a router's port mapping forwards).</summary>
    IPv4,

    /// <summary>IPv6 (a pinhole to a global address).</summary>
    IPv6,
}

/// <summary>
/// An inbound new connection to evaluate or allow: from an arbitrary internet address, arriving on a
/// non-loopback interface, to <see cref="Port"/>/<see cref="Protocol"/> on this host.
/// </summary>
public sealed record InboundQuery
{
    /// <summary>Creates a query.</summary>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="port">The local port, 1–65535.</param>
    /// <param name="programPath">The program that will receive the connection (Windows rules can be per program), or null when unknown.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is outside 1–65535.</exception>
    public InboundQuery(TransportProtocol protocol, int port, string? programPath = null)
    {
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "A firewall port must be 1–65535.");
        }

        Protocol = protocol;
        Port = port;
        ProgramPath = string.IsNullOrWhiteSpace(programPath) ? null : programPath;
    }

    /// <summary>TCP or UDP.</summary>
    public TransportProtocol Protocol { get; }

    /// <summary>The local port, 1–65535.</summary>
    public int Port { get; }

    /// <summary>The receiving program's full path, or null when unknown.</summary>
    public string? ProgramPath { get; }

    /// <summary>
    /// The interface the connection arrives on ("eth0", "enp3s0"), or null when unknown. Rules that match a
    /// specific non-loopback interface give Unknown unless this is set.
    /// </summary>
    public string? InterfaceName { get; init; }

    /// <summary>IPv4 (default) or IPv6.</summary>
    public IpVersion IpVersion { get; init; } = IpVersion.IPv4;

    /// <summary>"8080/tcp".</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Port}/{Protocol.ToCli()}";
}
