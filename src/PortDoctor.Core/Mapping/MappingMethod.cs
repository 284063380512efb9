namespace PortDoctor.Core.Mapping;

/// <summary>The port-mapping protocols PortDoctor speaks.</summary>
public enum MappingMethod
{
    /// <summary>UPnP IGD (WANIPConnection:1/2, WANPPPConnection:1).</summary>
    Upnp,

    /// <summary>NAT-PMP (RFC 6886).</summary>
    NatPmp,

    /// <summary>PCP (RFC 6887).</summary>
    Pcp,
}

/// <summary>
/// The wire names of <see cref="MappingMethod"/>: what the journal's <c>method</c> field, <c>status</c> and the
/// <c>--json</c> evidence carry. They are fixed: journals written by older and newer builds must stay readable.
/// </summary>
internal static class MappingMethods
{
    /// <summary>The wire name of <see cref="MappingMethod.Upnp"/>.</summary>
    public const string UpnpWireName = "upnp";

    /// <summary>The wire name of <see cref="MappingMethod.NatPmp"/>.</summary>
    public const string NatPmpWireName = "natpmp";

    /// <summary>The wire name of <see cref="MappingMethod.Pcp"/>.</summary>
    public const string PcpWireName = "pcp";

    /// <summary>The wire name: <see cref="UpnpWireName"/>, <see cref="NatPmpWireName"/> or <see cref="PcpWireName"/>.</summary>
    /// <param name="method">The method.</param>
    /// <returns>The wire name.</returns>
    public static string ToWireName(this MappingMethod method) => method switch
    {
        MappingMethod.Upnp => UpnpWireName,
        MappingMethod.NatPmp => NatPmpWireName,
        MappingMethod.Pcp => PcpWireName,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Not a mapping method."),
    };

    /// <summary>The protocol's own name for people ("UPnP IGD", "NAT-PMP", "PCP"); the same in every language.</summary>
    /// <param name="method">The method.</param>
    /// <returns>The name.</returns>
    public static string DisplayName(this MappingMethod method) => method switch
    {
        MappingMethod.Upnp => "UPnP IGD",
        MappingMethod.NatPmp => "NAT-PMP",
        MappingMethod.Pcp => "PCP",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Not a mapping method."),
    };

    /// <summary>Reads a wire name (exact, lower case, as journaled).</summary>
    /// <param name="wireName">The name, e.g. from <c>JournalChange.Method</c>.</param>
    /// <param name="method">The method, when known.</param>
    /// <returns>False for an unknown or missing name (a newer build's method, or a firewall change).</returns>
    public static bool TryParse(string? wireName, out MappingMethod method)
    {
        switch (wireName)
        {
            case UpnpWireName:
                method = MappingMethod.Upnp;
                return true;
            case NatPmpWireName:
                method = MappingMethod.NatPmp;
                return true;
            case PcpWireName:
                method = MappingMethod.Pcp;
                return true;
            default:
                method = default;
                return false;
        }
    }

    /// <summary>The display name for a journaled wire name; an unknown name is shown as it is.</summary>
    /// <param name="wireName">The wire name.</param>
    /// <returns>The name for people.</returns>
    public static string DisplayNameOf(string? wireName) =>
        TryParse(wireName, out MappingMethod method) ? method.DisplayName() : wireName ?? string.Empty;
}
