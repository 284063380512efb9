using PortDoctor.Core.Firewall.Rules;

namespace PortDoctor.Core.Firewall.Iptables;

/// <summary>Which iptables implementation wrote the dump, from iptables-save's header comment.</summary>
internal enum IptablesVariant
{
    /// <summary>The header did not say (older iptables-save, or no header).</summary>
    Unknown,

    /// <summary>"(nf_tables)": iptables-nft, rules live in the kernel's nftables.</summary>
    Nft,

    /// <summary>"(legacy)" or a pre-1.8 header: the x_tables kernel interface.</summary>
    Legacy,
}

/// <summary>One rule of the filter table, as iptables-save printed it.</summary>
/// <param name="Chain">The chain ("INPUT").</param>
/// <param name="Position">1-based position in the chain (the number iptables -L --line-numbers shows).</param>
/// <param name="Text">The rule after "-A ".</param>
/// <param name="Comment">The -m comment --comment text, if any.</param>
internal sealed record IptablesRuleInfo(string Chain, int Position, string Text, string? Comment);

/// <summary>A parsed iptables-save dump: the filter table's chains and rules.</summary>
internal sealed record IptablesRuleset(
    IptablesVariant Variant,
    bool HasFilterTable,
    string? InputPolicy,
    FilterRuleset Filter,
    IReadOnlyList<IptablesRuleInfo> Rules,
    IReadOnlyList<string> Warnings);
