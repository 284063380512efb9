namespace PortDoctor.Core.Diagnosis;

/// <summary>
/// Picks the one finding that explains why the port is not usable. The order is the guide's troubleshooting
/// order turned around so that a cause that makes every other fix useless comes first: no network; no
/// global address at all (CGNAT: nothing at home can fix it); a second router (fixing the first alone
/// cannot work); the URL pointing elsewhere (everything else may be fine); then, in the guide's order from
/// the program outwards, this PC's firewall, a security suite's firewall, the router not forwarding (no
/// gateway answered, forwarding to an old address, no mapping); then the program not running; and last an
/// unexplained failure of the outside check.
/// </summary>
public static class RootCause
{
    /// <summary>Finding ids in order of precedence (first = most fundamental).</summary>
    public static readonly IReadOnlyList<string> Precedence =
    [
        FindingIds.NoNetwork,
        FindingIds.Cgnat,
        FindingIds.DoubleNat,
        FindingIds.UrlMismatch,
        FindingIds.HostFirewallBlocks,
        FindingIds.ThirdPartyFirewall,
        FindingIds.NoGateway,
        FindingIds.StaleMapping,
        FindingIds.MappingConflict,
        FindingIds.NoMapping,
        FindingIds.NothingListening,
        FindingIds.NotReachable,
    ];

    /// <summary>The highest-precedence fault among <paramref name="findings"/>, or null when there is none.</summary>
    /// <param name="findings">All findings.</param>
    /// <returns>The root cause, or null.</returns>
    public static Finding? Choose(IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var faults = findings.Where(f => f.Severity == Severity.Fault).ToList();
        foreach (var id in Precedence)
        {
            var match = faults.FirstOrDefault(f => f.Id == id);
            if (match is not null)
            {
                return match;
            }
        }

        return faults.FirstOrDefault();
    }
}

/// <summary>The stable finding ids (used in JSON and docs/diagnose.md).</summary>
internal static class FindingIds
{
#pragma warning disable CS1591 // The names are the documentation; docs/diagnose.md describes each.
    public const string NoNetwork = "no-network";
    public const string Cgnat = "cgnat";
    public const string DoubleNat = "double-nat";
    public const string UrlMismatch = "url-mismatch";
    public const string NoGateway = "no-gateway";
    public const string StaleMapping = "stale-mapping";
    public const string MappingConflict = "mapping-conflict";
    public const string NoMapping = "no-mapping";
    public const string HostFirewallBlocks = "host-firewall-blocks";
    public const string ThirdPartyFirewall = "third-party-firewall";
    public const string NothingListening = "nothing-listening";
    public const string NotReachable = "not-reachable";
    public const string PortBelowRegistered = "port-below-1024";
    public const string Listener = "listener";
    public const string Network = "network";
    public const string PublicHost = "public-host";
    public const string Gateway = "gateway";
    public const string Mapping = "mapping";
    public const string ExternalAddress = "external-address";
    public const string PublicAddress = "public-address";
    public const string Hops = "hops";
    public const string Reachable = "reachable";
    public const string HostFirewall = "host-firewall";
    public const string Hairpin = "hairpin";
    public const string NoChecker = "no-checker";
    public const string Url = "url";
    public const string Budget = "budget";
#pragma warning restore CS1591
}
