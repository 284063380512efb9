using System.Net;
using PortDoctor.Core.Net;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Upnp;

/// <summary>Where a WAN service's device sits relative to the PC's gateways, best first.</summary>
public enum IgdPath
{
    /// <summary>The device is the first (default) gateway itself: the router inbound traffic passes through.</summary>
    DefaultGateway,

    /// <summary>The device is the gateway of another interface.</summary>
    OtherGateway,

    /// <summary>Another box on the default gateway's subnet (not on the way out: a mapping there rarely helps).</summary>
    OnDefaultSubnet,

    /// <summary>Another box on another interface's subnet.</summary>
    OnOtherSubnet,
}

/// <summary>What GetStatusInfo said about a WAN connection, best first.</summary>
public enum IgdConnection
{
    /// <summary>"Connected" (or "Up").</summary>
    Connected,

    /// <summary>Not asked, no answer, a fault, or an empty status.</summary>
    Unknown,

    /// <summary>Any other status: Disconnected, Connecting, Unconfigured, …</summary>
    NotConnected,
}

/// <summary>What GetExternalIPAddress said, best first.</summary>
public enum IgdExternalAddress
{
    /// <summary>A global unicast address: mappings there are reachable from the internet.</summary>
    Public,

    /// <summary>A private, carrier-grade, link-local or reserved address: another NAT lies beyond the router.</summary>
    NotPublic,

    /// <summary>No usable address (not asked, no answer, a fault, empty, 0.0.0.0, garbage).</summary>
    Unknown,
}

/// <summary>What asking one WAN connection service told.</summary>
/// <param name="ConnectionStatus">GetStatusInfo's NewConnectionStatus as sent (trimmed), or null when not known.</param>
/// <param name="ExternalAddress">GetExternalIPAddress's usable address, or null.</param>
public sealed record IgdServiceFacts(string? ConnectionStatus, IPAddress? ExternalAddress)
{
    /// <summary>Nothing known (the service was not asked or did not answer).</summary>
    public static IgdServiceFacts Unknown { get; } = new(null, null);

    /// <summary>The connection state derived from <see cref="ConnectionStatus"/>.</summary>
    public IgdConnection Connection => string.IsNullOrWhiteSpace(ConnectionStatus)
        ? IgdConnection.Unknown
        : new UpnpStatusInfo(ConnectionStatus, string.Empty, null).IsConnected ? IgdConnection.Connected : IgdConnection.NotConnected;

    /// <summary>The kind of <see cref="ExternalAddress"/>.</summary>
    public IgdExternalAddress Address => ExternalAddress is null
        ? IgdExternalAddress.Unknown
        : AddressClass.Classify(ExternalAddress) == AddressKind.Public ? IgdExternalAddress.Public : IgdExternalAddress.NotPublic;
}

/// <summary>One (device, WAN service) pair that could carry the mapping, with what asking it told.</summary>
/// <param name="Gateway">The device and service (its <see cref="UpnpGateway.Service"/> is this candidate's service).</param>
/// <param name="GatewayIndex">The index of <see cref="UpnpGateway.Gateway"/> in the PC's gateway list (0 = default).</param>
/// <param name="ServiceIndex">The service's index in <see cref="UpnpDeviceDescription.Services"/>.</param>
/// <param name="Facts">What GetStatusInfo and GetExternalIPAddress said.</param>
public sealed record IgdCandidate(UpnpGateway Gateway, int GatewayIndex, int ServiceIndex, IgdServiceFacts Facts)
{
    /// <summary>Where the service's device sits: judged by the control URL's host, which is where mappings go.</summary>
    public IgdPath Path
    {
        get
        {
            bool isGateway = IPAddress.TryParse(Gateway.ControlUrl.Host, out IPAddress? host) && host.Equals(Gateway.Gateway.Gateway);
            return (isGateway, GatewayIndex == 0) switch
            {
                (true, true) => IgdPath.DefaultGateway,
                (true, false) => IgdPath.OtherGateway,
                (false, true) => IgdPath.OnDefaultSubnet,
                (false, false) => IgdPath.OnOtherSubnet,
            };
        }
    }

    /// <summary>True when nothing can rank higher than this (bar the tie-break): the default gateway, connected, public.</summary>
    public bool IsBestPossible =>
        Path == IgdPath.DefaultGateway && Facts.Connection == IgdConnection.Connected && Facts.Address == IgdExternalAddress.Public;
}

/// <summary>
/// Orders WAN connection services, of one device or of several IGDs on the LAN, the way miniupnpc's
/// <c>UPNP_GetValidIGD</c> and tailscale's service selection do, with the path first: on the default
/// gateway, then connected (GetStatusInfo), then a public external address before a private one before
/// none. Ties go to the better-known service type, then the gateway order, the description URL, document
/// order and the control URL, so the same answers always give the same choice. Pure: no I/O.
/// </summary>
internal static class IgdRanking
{
    /// <summary>Ranks candidates, best first.</summary>
    /// <param name="candidates">The candidates, in any order.</param>
    /// <returns>A new list, best first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="candidates"/> is null.</exception>
    public static IReadOnlyList<IgdCandidate> Rank(IEnumerable<IgdCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return
        [
            .. candidates
                .OrderBy(c => c.Path)
                .ThenBy(c => c.Facts.Connection)
                .ThenBy(c => c.Facts.Address)
                .ThenBy(c => c.Gateway.Service.Kind)
                .ThenBy(c => c.GatewayIndex)
                .ThenBy(c => c.Gateway.DescriptionUrl.AbsoluteUri, StringComparer.Ordinal)
                .ThenBy(c => c.ServiceIndex)
                .ThenBy(c => c.Gateway.ControlUrl.AbsoluteUri, StringComparer.Ordinal),
        ];
    }

    /// <summary>The best candidate, or null when there is none.</summary>
    /// <param name="candidates">The candidates, in any order.</param>
    /// <returns>The first of <see cref="Rank"/>.</returns>
    public static IgdCandidate? Best(IEnumerable<IgdCandidate> candidates)
    {
        IReadOnlyList<IgdCandidate> ranked = Rank(candidates);
        return ranked.Count > 0 ? ranked[0] : null;
    }
}
