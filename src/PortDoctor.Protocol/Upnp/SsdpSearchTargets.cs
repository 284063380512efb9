namespace PortDoctor.Protocol.Upnp;

/// <summary>
/// SSDP search targets (the <c>ST</c> header, UPnP Device Architecture 1.1 §1.3.2) used to find an
/// Internet Gateway Device, and the test that tells an IGD-related reply from any other UPnP device.
/// </summary>
public static class SsdpSearchTargets
{
    /// <summary>The IGD:1 root device type.</summary>
    public const string InternetGatewayDevice1 = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";

    /// <summary>The IGD:2 root device type.</summary>
    public const string InternetGatewayDevice2 = "urn:schemas-upnp-org:device:InternetGatewayDevice:2";

    /// <summary>The WANIPConnection:1 service type.</summary>
    public const string WanIpConnection1 = "urn:schemas-upnp-org:service:WANIPConnection:1";

    /// <summary>The WANIPConnection:2 service type (IGD:2).</summary>
    public const string WanIpConnection2 = "urn:schemas-upnp-org:service:WANIPConnection:2";

    /// <summary>The WANPPPConnection:1 service type.</summary>
    public const string WanPppConnection1 = "urn:schemas-upnp-org:service:WANPPPConnection:1";

    /// <summary>Every device and service (UDA 1.1 §1.3.2); some routers answer only this one.</summary>
    public const string All = "ssdp:all";

    /// <summary>Root devices only (UDA 1.1 §1.3.2); some routers answer only this one, and only as
    /// <c>ST: upnp:rootdevice</c> (docs/quirks.md).</summary>
    public const string RootDevice = "upnp:rootdevice";

    /// <summary>
    /// What discovery searches for, all at once: routers differ in which targets they answer (docs/quirks.md#Q-SSDP-SEARCH-TARGETS).
    /// </summary>
    public static IReadOnlyList<string> IgdSearchTargets { get; } =
    [
        InternetGatewayDevice1,
        InternetGatewayDevice2,
        WanIpConnection1,
        WanIpConnection2,
        WanPppConnection1,
        RootDevice,
        All,
    ];

    // Replies to ssdp:all name every device and service of every UPnP device on the LAN (printers,
    // Wi-Fi Alliance WFADevice, media servers); only these type names belong to an IGD.
    private static readonly string[] IgdTypeNames =
    [
        ":device:InternetGatewayDevice:",
        ":device:WANDevice:",
        ":device:WANConnectionDevice:",
        ":service:WANIPConnection:",
        ":service:WANPPPConnection:",
        ":service:WANCommonInterfaceConfig:",
    ];

    /// <summary>
    /// Tells what a reply's <c>ST</c> promises: an IGD (fetch its description), a root device or a device UUID
    /// (fetch it too: a router answering only so is an IGD when its description lists a WAN connection
    /// service), or another kind of device (ignore).
    /// </summary>
    /// <param name="searchTarget">The ST value; null or empty gives <see cref="SsdpTargetKind.Other"/>.</param>
    /// <returns>The kind.</returns>
    public static SsdpTargetKind Classify(string? searchTarget)
    {
        if (IsInternetGatewayRelated(searchTarget))
        {
            return SsdpTargetKind.InternetGateway;
        }

        string text = searchTarget?.Trim() ?? string.Empty;
        if (text.Equals(RootDevice, StringComparison.OrdinalIgnoreCase))
        {
            return SsdpTargetKind.RootDevice;
        }

        // UDA 1.1 §1.3.2: "uuid:device-UUID", nothing after it (a "::urn:…" tail belongs in USN, not ST).
        return text.Length > 5 && text.StartsWith("uuid:", StringComparison.OrdinalIgnoreCase) && !text.Contains("::", StringComparison.Ordinal)
            ? SsdpTargetKind.DeviceUuid
            : SsdpTargetKind.Other;
    }

    /// <summary>
    /// True when <paramref name="searchTarget"/> (an <c>ST</c> or <c>NT</c> value) names an IGD device or
    /// one of its WAN services, in the UPnP Forum (<c>urn:schemas-upnp-org:</c>) or DSL Forum TR-064
    /// (<c>urn:dslforum-org:</c>) namespace. Comparison ignores letter case.
    /// </summary>
    /// <param name="searchTarget">The value to test; null or empty gives false.</param>
    /// <returns>True for IGD-related targets; false for <c>upnp:rootdevice</c>, <c>uuid:…</c> and other devices.</returns>
    public static bool IsInternetGatewayRelated(string? searchTarget)
    {
        if (string.IsNullOrWhiteSpace(searchTarget))
        {
            return false;
        }

        bool knownDomain = searchTarget.StartsWith("urn:schemas-upnp-org:", StringComparison.OrdinalIgnoreCase)
            || searchTarget.StartsWith("urn:dslforum-org:", StringComparison.OrdinalIgnoreCase);
        return knownDomain && IgdTypeNames.Any(n => searchTarget.Contains(n, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>What an SSDP reply's <c>ST</c> says about the device, as told by <see cref="SsdpSearchTargets.Classify"/>.</summary>
public enum SsdpTargetKind
{
    /// <summary>An IGD device type or one of its WAN services.</summary>
    InternetGateway,

    /// <summary><c>upnp:rootdevice</c>: any root device; only its description tells whether it is an IGD.</summary>
    RootDevice,

    /// <summary><c>uuid:…</c>: one device by its UDN; only its description tells whether it is an IGD.</summary>
    DeviceUuid,

    /// <summary>Any other device or service type (printers, media servers, Wi-Fi Alliance WFADevice).</summary>
    Other,
}
