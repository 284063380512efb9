namespace PortDoctor.Protocol.Upnp;

/// <summary>The kinds of WAN connection service that carry the port-mapping actions, best first.</summary>
public enum WanConnectionKind
{
    /// <summary><c>urn:schemas-upnp-org:service:WANIPConnection:2</c> (IGD:2; has AddAnyPortMapping).</summary>
    WanIpConnection2,

    /// <summary><c>urn:schemas-upnp-org:service:WANIPConnection:1</c>.</summary>
    WanIpConnection1,

    /// <summary><c>urn:schemas-upnp-org:service:WANPPPConnection:1</c>.</summary>
    WanPppConnection1,

    /// <summary><c>urn:dslforum-org:service:WANIPConnection:1</c> (TR-064; same actions as WANIPConnection:1).</summary>
    DslForumWanIpConnection1,

    /// <summary><c>urn:dslforum-org:service:WANPPPConnection:1</c> (TR-064; same actions as WANPPPConnection:1).</summary>
    DslForumWanPppConnection1,
}

/// <summary>A WAN*Connection service found in a device description, with its control URL already resolved.</summary>
/// <param name="ServiceType">The service type URN exactly as the description spells it (used in SOAPAction).</param>
/// <param name="Kind">Which kind of service it is; the enum order is the preference order.</param>
/// <param name="ControlUrl">The absolute control URL (RFC 3986 resolution against URLBase, else LOCATION).</param>
/// <param name="ServiceId">The serviceId, or null when absent.</param>
public sealed record WanConnectionService(string ServiceType, WanConnectionKind Kind, Uri ControlUrl, string? ServiceId)
{
    /// <summary>True for IGD:2's WANIPConnection:2, which offers AddAnyPortMapping and caps leases at 604800 s.</summary>
    public bool IsIgd2 => Kind == WanConnectionKind.WanIpConnection2;

    /// <summary>Classifies a service type URN (letter case ignored).</summary>
    /// <param name="serviceType">The serviceType text.</param>
    /// <param name="kind">The kind when the result is true.</param>
    /// <returns>True when the type is one of the WAN connection services in <see cref="WanConnectionKind"/>.</returns>
    public static bool TryClassify(string? serviceType, out WanConnectionKind kind)
    {
        kind = default;
        switch (serviceType?.Trim().ToUpperInvariant())
        {
            case "URN:SCHEMAS-UPNP-ORG:SERVICE:WANIPCONNECTION:2": kind = WanConnectionKind.WanIpConnection2; return true;
            case "URN:SCHEMAS-UPNP-ORG:SERVICE:WANIPCONNECTION:1": kind = WanConnectionKind.WanIpConnection1; return true;
            case "URN:SCHEMAS-UPNP-ORG:SERVICE:WANPPPCONNECTION:1": kind = WanConnectionKind.WanPppConnection1; return true;
            case "URN:DSLFORUM-ORG:SERVICE:WANIPCONNECTION:1": kind = WanConnectionKind.DslForumWanIpConnection1; return true;
            case "URN:DSLFORUM-ORG:SERVICE:WANPPPCONNECTION:1": kind = WanConnectionKind.DslForumWanPppConnection1; return true;
            default: return false;
        }
    }
}
