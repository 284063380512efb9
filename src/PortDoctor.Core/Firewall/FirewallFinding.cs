using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Firewall;

/// <summary>Something about the firewall setup that the user should know or act on.</summary>
/// <param name="Code">Stable, language-independent id (see <see cref="FirewallFindingCodes"/>).</param>
/// <param name="Message">One sentence: what was found and what to do.</param>
/// <param name="Evidence">The values behind it (product name, profile, port), for --json and translations.</param>
public sealed record FirewallFinding(string Code, Text Message, IReadOnlyDictionary<string, string>? Evidence = null);

/// <summary>The <see cref="FirewallFinding.Code"/> values.</summary>
internal static class FirewallFindingCodes
{
    /// <summary>Windows: "Block all incoming connections, including those in the list of allowed apps" is on for an active profile.</summary>
    public const string BlockAllIncoming = "windows.block-all-incoming";

    /// <summary>Windows: Windows Defender Firewall is off for an active profile.</summary>
    public const string ProfileDisabled = "windows.profile-disabled";

    /// <summary>Windows: a security suite's firewall (Security Center) is on; it needs its own inbound exception.</summary>
    public const string ThirdPartyFirewall = "windows.third-party-firewall";

    /// <summary>Reading or changing the firewall needs root/administrator rights.</summary>
    public const string NeedsPrivilege = "firewall.needs-privilege";

    /// <summary>The firewall tool is not installed or failed; the state is unknown.</summary>
    public const string ToolFailed = "firewall.tool-failed";

    /// <summary>Linux: iptables-nft tables sit in the nftables ruleset next to native ones.</summary>
    public const string MixedIptablesNft = "linux.iptables-nft-tables";

    /// <summary>Linux: iptables-legacy tables exist next to nftables; both filter the packet.</summary>
    public const string LegacyTablesPresent = "linux.iptables-legacy-tables";
}
