namespace PortDoctor.Protocol.Upnp;

/// <summary>
/// What PortDoctor needs from a root device description (UPnP Device Architecture 1.1 §2.3): who made
/// the router and which WAN connection services it offers.
/// </summary>
/// <param name="DeviceType">The root device's deviceType, or null when absent.</param>
/// <param name="FriendlyName">friendlyName, or null.</param>
/// <param name="Manufacturer">manufacturer, or null.</param>
/// <param name="ModelName">modelName, or null.</param>
/// <param name="ModelNumber">modelNumber, or null.</param>
/// <param name="Udn">UDN (uuid:…), or null.</param>
/// <param name="UrlBase">The URLBase used for resolution, or null when the description had none (LOCATION was used).</param>
/// <param name="Services">Every WAN*Connection service found in the whole device tree, preferred first
/// (the order of <see cref="WanConnectionKind"/>: WANIPConnection:2 &gt; :1 &gt; WANPPPConnection:1 &gt; :2 &gt; DSL Forum
/// types &gt; other versions; document order within a kind). Which one is used is decided by asking each
/// (GetStatusInfo, GetExternalIPAddress), not by this order alone.</param>
public sealed record UpnpDeviceDescription(
    string? DeviceType,
    string? FriendlyName,
    string? Manufacturer,
    string? ModelName,
    string? ModelNumber,
    string? Udn,
    Uri? UrlBase,
    IReadOnlyList<WanConnectionService> Services)
{
    /// <summary>The preferred WAN connection service, or null when the device has none (not a usable IGD).</summary>
    public WanConnectionService? PreferredService => Services.Count > 0 ? Services[0] : null;

    /// <summary>"manufacturer modelName (friendlyName)", leaving out the parts the router did not give and a
    /// friendly name already contained in the rest.</summary>
    /// <returns>The display text; "unknown router" when all parts are missing.</returns>
    public string ToDisplayName()
    {
        string name = string.Join(' ', new[] { Manufacturer, ModelName }.Where(s => !string.IsNullOrWhiteSpace(s)));
        if (!string.IsNullOrWhiteSpace(FriendlyName) && !name.Contains(FriendlyName, StringComparison.OrdinalIgnoreCase))
        {
            name = name.Length == 0 ? FriendlyName : $"{name} ({FriendlyName})";
        }

        return name.Length == 0 ? "unknown router" : name;
    }
}
