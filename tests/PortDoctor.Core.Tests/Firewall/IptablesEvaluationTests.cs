using PortDoctor.Core.Firewall;
using PortDoctor.Core.Firewall.Iptables;
using PortDoctor.Core.Firewall.Rules;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Tests.Firewall;

public class IptablesEvaluationTests
{
    private static IptablesRuleset Read(string fixture)
    {
        Assert.True(IptablesSaveParser.TryRead(FirewallFixtures.Read($"iptables/{fixture}.txt"), IpVersion.IPv4, out var ruleset, out string? error), error);
        return ruleset!;
    }

    private static FirewallVerdict Evaluate(string fixture, TransportProtocol protocol, int port, string? iface = null) =>
        ChainEvaluator.Evaluate(Read(fixture).Filter, new InboundQuery(protocol, port) { InterfaceName = iface }, FirewallBackendNames.Iptables);

    [Fact]
    public void Header_says_which_variant_wrote_the_dump()
    {
        Assert.Equal(IptablesVariant.Nft, Read("iptables-nft").Variant);
        Assert.Equal(IptablesVariant.Legacy, Read("iptables-legacy").Variant);
        Assert.Equal("drop", Read("iptables-nft").InputPolicy);
        Assert.Equal("accept", Read("iptables-legacy").InputPolicy);
    }

    [Fact]
    public void Accept_rule_for_the_port_allows_it()
    {
        var verdict = Evaluate("iptables-nft", TransportProtocol.Tcp, 22);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("iptables filter chain INPUT rule 4", verdict.DecidedBy!.Location);
        Assert.Equal("INPUT -p tcp -m tcp --dport 22 -j ACCEPT", verdict.DecidedBy.Text);
    }

    [Fact]
    public void Multiport_ranges_match()
    {
        var verdict = Evaluate("iptables-nft", TransportProtocol.Udp, 27018);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("iptables filter chain INPUT rule 6", verdict.DecidedBy!.Location);
        Assert.Equal(FirewallDecision.Blocked, Evaluate("iptables-nft", TransportProtocol.Tcp, 27018).Decision);
    }

    [Fact]
    public void Reject_rule_blocks()
    {
        var verdict = Evaluate("iptables-nft", TransportProtocol.Tcp, 25);
        Assert.Equal(FirewallDecision.Blocked, verdict.Decision);
        Assert.Equal("iptables filter chain INPUT rule 7", verdict.DecidedBy!.Location);
        Assert.Contains("REJECT", verdict.DecidedBy.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Jump_to_a_user_chain_that_accepts_allows()
    {
        var verdict = Evaluate("iptables-nft", TransportProtocol.Tcp, 8080);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("iptables filter chain services rule 1", verdict.DecidedBy!.Location);
    }

    [Fact]
    public void Loopback_established_and_source_restricted_rules_do_not_admit_internet_traffic()
    {
        var verdict = Evaluate("iptables-nft", TransportProtocol.Tcp, 3389);
        Assert.Equal(FirewallDecision.Blocked, verdict.Decision);
        Assert.Equal("iptables filter chain INPUT", verdict.DecidedBy!.Location);
        Assert.Equal("policy drop", verdict.DecidedBy.Text);
        Assert.Contains(verdict.Notes, n => n.Contains("rule 5", StringComparison.Ordinal) && n.Contains("192.168.1.0/24", StringComparison.Ordinal));
    }

    [Fact]
    public void Loopback_interface_is_accepted_only_when_the_query_says_lo()
    {
        var verdict = Evaluate("iptables-nft", TransportProtocol.Tcp, 9000, iface: "lo");
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("iptables filter chain INPUT rule 1", verdict.DecidedBy!.Location);
    }

    [Fact]
    public void Legacy_drop_rule_blocks_and_policy_accept_allows_the_rest()
    {
        var dropped = Evaluate("iptables-legacy", TransportProtocol.Tcp, 8080);
        Assert.Equal(FirewallDecision.Blocked, dropped.Decision);
        Assert.Equal("iptables filter chain INPUT rule 1", dropped.DecidedBy!.Location);

        var open = Evaluate("iptables-legacy", TransportProtocol.Tcp, 9000);
        Assert.Equal(FirewallDecision.Allowed, open.Decision);
        Assert.Equal("policy accept", open.DecidedBy!.Text);
    }

    [Fact]
    public void An_unknown_match_module_gives_unknown_naming_the_rule()
    {
        var verdict = Evaluate("iptables-legacy", TransportProtocol.Tcp, 2222);
        Assert.Equal(FirewallDecision.Unknown, verdict.Decision);
        Assert.Equal("iptables filter chain INPUT rule 2", verdict.DecidedBy!.Location);
        Assert.Contains("recent", verdict.Reason?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Comments_are_read_for_tag_checks()
    {
        var rule = Assert.Single(Read("iptables-legacy").Rules, r => r.Comment is not null);
        Assert.True(FirewallTag.Matches(rule.Comment, TransportProtocol.Tcp, 9443));
    }

    [Theory]
    [InlineData("*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 80 -m comment --comment \"unterminated -j ACCEPT\nCOMMIT\n")]
    [InlineData("*filter\n:INPUT\nCOMMIT\n")]
    [InlineData("*filter\n-X INPUT\nCOMMIT\n")]
    public void Malformed_dumps_are_failures(string text)
    {
        Assert.False(IptablesSaveParser.TryRead(text, IpVersion.IPv4, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Negated_interface_and_state_options_are_understood()
    {
        const string Dump = "*filter\n:INPUT DROP [0:0]\n-A INPUT ! -i lo -m conntrack --ctstate NEW -p tcp --dport 8080 -j ACCEPT\nCOMMIT\n";
        Assert.True(IptablesSaveParser.TryRead(Dump, IpVersion.IPv4, out var ruleset, out _));
        var verdict = ChainEvaluator.Evaluate(ruleset!.Filter, new InboundQuery(TransportProtocol.Tcp, 8080), FirewallBackendNames.Iptables);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("iptables filter chain INPUT rule 1", verdict.DecidedBy!.Location);
    }
}
