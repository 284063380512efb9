using PortDoctor.Core.Firewall.Rules;

namespace PortDoctor.Core.Firewall.Nftables;

/// <summary>A base chain as listed by nft ("type filter hook input priority 0; policy drop;").</summary>
internal sealed record NftChainInfo(string Family, string Table, string Name, string? Type, string? Hook, int Priority, string? Policy)
{
    public string Key => $"{Family} {Table} {Name}";

    public string Location => $"table {Family} {Table} chain {Name}";
}

/// <summary>A rule's identity: where it is, its handle and comment (for tag checks before deleting).</summary>
internal sealed record NftRuleInfo(string Family, string Table, string Chain, long Handle, string? Comment, string Text);

/// <summary>A parsed <c>nft -j list ruleset</c>.</summary>
/// <param name="Filter">The evaluable chains: base chains at the input hook of families inet/ip/ip6, and all chains by key.</param>
/// <param name="Chains">Every chain.</param>
/// <param name="Rules">Every rule with its handle and comment.</param>
/// <param name="HasIptablesNftTables">True when iptables-nft rules (xt expressions, or the iptables-nft table layout) are present.</param>
internal sealed record NftRuleset(FilterRuleset Filter, IReadOnlyList<NftChainInfo> Chains, IReadOnlyList<NftRuleInfo> Rules, bool HasIptablesNftTables)
{
    public IEnumerable<NftChainInfo> InputBaseChains => Chains.Where(c => c.Hook == "input" && c.Family is "inet" or "ip" or "ip6" && c.Type is null or "filter");
}
