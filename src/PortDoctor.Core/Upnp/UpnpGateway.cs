using System.Net;
using PortDoctor.Core.Net;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Upnp;

/// <summary>A usable Internet Gateway Device found by <see cref="UpnpDiscoverer"/>.</summary>
/// <param name="Gateway">The gateway (and local interface) whose search found it.</param>
/// <param name="DescriptionUrl">The LOCATION the description was fetched from (on the gateway's local subnet).</param>
/// <param name="Description">The parsed description; <see cref="UpnpDeviceDescription.Services"/> holds every WAN connection service.</param>
/// <param name="Service">The chosen WAN connection service: the best of <see cref="IgdRanking"/> among every service on the local subnet.</param>
/// <param name="SearchTarget">The ST of the reply that led to it (which search form the router answered).</param>
/// <param name="Responder">The address and port the SSDP reply came from.</param>
/// <param name="ElapsedMs">Milliseconds from the first M-SEARCH until the description was parsed.</param>
public sealed record UpnpGateway(
    GatewayInfo Gateway,
    Uri DescriptionUrl,
    UpnpDeviceDescription Description,
    WanConnectionService Service,
    string SearchTarget,
    IPEndPoint Responder,
    long ElapsedMs)
{
    /// <summary>What asking the chosen service told (connection status, external address); null when it was not asked.</summary>
    public IgdServiceFacts? ServiceFacts { get; init; }

    /// <summary>Every candidate discovery ranked (this device's other WAN services and other IGDs), best first;
    /// empty when it was not ranked.</summary>
    public IReadOnlyList<IgdCandidate> Ranked { get; init; } = [];

    /// <summary>The chosen service's control URL.</summary>
    public Uri ControlUrl => Service.ControlUrl;

    /// <summary>The chosen service's type URN.</summary>
    public string ServiceType => Service.ServiceType;

    /// <summary>Every WAN connection service in the description, preferred first.</summary>
    public IReadOnlyList<WanConnectionService> Services => Description.Services;

    /// <summary>manufacturer, or null.</summary>
    public string? Manufacturer => Description.Manufacturer;

    /// <summary>modelName, or null.</summary>
    public string? ModelName => Description.ModelName;

    /// <summary>friendlyName, or null.</summary>
    public string? FriendlyName => Description.FriendlyName;

    /// <summary>"manufacturer modelName (friendlyName)".</summary>
    public string DisplayName => Description.ToDisplayName();
}
