using System.Globalization;

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

    /// <summary><c>urn:schemas-upnp-org:service:WANPPPConnection:2</c>: not in the IGD:2 specification, yet
    /// declared by real IGD:2 ISP boxes (docs/quirks.md); the port-mapping actions are those of version 1.</summary>
    WanPppConnection2,

    /// <summary><c>urn:dslforum-org:service:WANIPConnection:1</c> (TR-064; same actions as WANIPConnection:1).</summary>
    DslForumWanIpConnection1,

    /// <summary><c>urn:dslforum-org:service:WANPPPConnection:1</c> (TR-064; same actions as WANPPPConnection:1).</summary>
    DslForumWanPppConnection1,

    /// <summary>WANIPConnection of a version not listed above (or none), in either namespace: every version keeps
    /// the version-1 actions (WANIPConnection:2 §1.2), so it is usable, after the known ones.</summary>
    OtherWanIpConnection,

    /// <summary>WANPPPConnection of a version not listed above (or none), in either namespace.</summary>
    OtherWanPppConnection,
}

/// <summary>A WAN*Connection service found in a device description, with its control URL already resolved.</summary>
/// <param name="ServiceType">The service type URN exactly as the description spells it (used in SOAPAction).</param>
/// <param name="Kind">Which kind of service it is; the enum order is the preference order.</param>
/// <param name="ControlUrl">The absolute control URL (RFC 3986 resolution against URLBase, else LOCATION).</param>
/// <param name="ServiceId">The serviceId, or null when absent.</param>
public sealed record WanConnectionService(string ServiceType, WanConnectionKind Kind, Uri ControlUrl, string? ServiceId)
{
    private const string UpnpForumPrefix = "urn:schemas-upnp-org:service:";
    private const string DslForumPrefix = "urn:dslforum-org:service:";

    /// <summary>True for IGD:2's WANIPConnection:2, which offers AddAnyPortMapping and caps leases at 604800 s.</summary>
    public bool IsIgd2 => Kind == WanConnectionKind.WanIpConnection2;

    /// <summary>The version number the service type ends with, or null when it has none.</summary>
    public int? Version => TrySplit(ServiceType, out _, out _, out int? version) ? version : null;

    /// <summary>Classifies a service type URN (letter case ignored). Any version of WANIPConnection and
    /// WANPPPConnection is accepted, in the UPnP Forum and the DSL Forum namespace; known versions get their own kind.</summary>
    /// <param name="serviceType">The serviceType text.</param>
    /// <param name="kind">The kind when the result is true.</param>
    /// <returns>True when the type is a WAN IP or PPP connection service.</returns>
    public static bool TryClassify(string? serviceType, out WanConnectionKind kind)
    {
        kind = default;
        if (!TrySplit(serviceType, out bool dslForum, out bool ppp, out int? version))
        {
            return false;
        }

        kind = (dslForum, ppp, version) switch
        {
            (false, false, 2) => WanConnectionKind.WanIpConnection2,
            (false, false, 1) => WanConnectionKind.WanIpConnection1,
            (false, true, 1) => WanConnectionKind.WanPppConnection1,
            (false, true, 2) => WanConnectionKind.WanPppConnection2,
            (true, false, 1) => WanConnectionKind.DslForumWanIpConnection1,
            (true, true, 1) => WanConnectionKind.DslForumWanPppConnection1,
            (_, false, _) => WanConnectionKind.OtherWanIpConnection,
            (_, true, _) => WanConnectionKind.OtherWanPppConnection,
        };
        return true;
    }

    // "<prefix>WANIPConnection" or "<prefix>WANPPPConnection", then nothing or ":" and a version of digits.
    private static bool TrySplit(string? serviceType, out bool dslForum, out bool ppp, out int? version)
    {
        dslForum = ppp = false;
        version = null;
        string text = serviceType?.Trim() ?? string.Empty;
        string rest;
        if (text.StartsWith(UpnpForumPrefix, StringComparison.OrdinalIgnoreCase))
        {
            rest = text[UpnpForumPrefix.Length..];
        }
        else if (text.StartsWith(DslForumPrefix, StringComparison.OrdinalIgnoreCase))
        {
            dslForum = true;
            rest = text[DslForumPrefix.Length..];
        }
        else
        {
            return false;
        }

        int colon = rest.IndexOf(':', StringComparison.Ordinal);
        string name = colon < 0 ? rest : rest[..colon];
        if (name.Equals("WANPPPConnection", StringComparison.OrdinalIgnoreCase))
        {
            ppp = true;
        }
        else if (!name.Equals("WANIPConnection", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (colon < 0)
        {
            return true;
        }

        string number = rest[(colon + 1)..];
        if (number.Length is 0 or > 4 || !number.All(char.IsAsciiDigit))
        {
            return false;
        }

        version = int.Parse(number, NumberStyles.None, CultureInfo.InvariantCulture);
        return version > 0;
    }
}
