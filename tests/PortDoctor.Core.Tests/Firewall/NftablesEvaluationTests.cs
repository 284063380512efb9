using PortDoctor.Core.Firewall;
using PortDoctor.Core.Firewall.Nftables;
using PortDoctor.Core.Firewall.Rules;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Tests.Firewall;

public class NftablesEvaluationTests
{
    private static FirewallVerdict Evaluate(string fixture, TransportProtocol protocol, int port, string? iface = null, IpVersion version = IpVersion.IPv4)
    {
        Assert.True(NftRulesetParser.TryRead(FirewallFixtures.Read($"nftables/{fixture}.json"), out var ruleset, out string? error), error);
        var query = new InboundQuery(protocol, port) { InterfaceName = iface, IpVersion = version };
        return ChainEvaluator.Evaluate(ruleset!.Filter, query, FirewallBackendNames.Nftables);
    }

    [Fact]
    public void Policy_drop_with_an_accept_rule_allows_that_port_by_the_rule()
    {
        var verdict = Evaluate("policy-drop-accept", TransportProtocol.Tcp, 8080);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("table inet filter chain input rule handle 4", verdict.DecidedBy!.Location);
        Assert.Equal("tcp dport 8080 accept", verdict.DecidedBy.Text);
    }

    [Fact]
    public void Policy_drop_blocks_other_ports_and_udp_by_the_policy()
    {
        foreach (var (protocol, port) in new[] { (TransportProtocol.Tcp, 9090), (TransportProtocol.Udp, 8080) })
        {
            var verdict = Evaluate("policy-drop-accept", protocol, port);
            Assert.Equal(FirewallDecision.Blocked, verdict.Decision);
            Assert.Equal("table inet filter chain input", verdict.DecidedBy!.Location);
            Assert.Equal("policy drop", verdict.DecidedBy.Text);
        }
    }

    [Fact]
    public void Reject_rule_blocks_and_is_named()
    {
        var tcp = Evaluate("reject", TransportProtocol.Tcp, 8080);
        Assert.Equal(FirewallDecision.Blocked, tcp.Decision);
        Assert.Equal("table inet filter chain input rule handle 2", tcp.DecidedBy!.Location);
        Assert.Contains("reject", tcp.DecidedBy.Text, StringComparison.Ordinal);

        var udp = Evaluate("reject", TransportProtocol.Udp, 8080);
        Assert.Equal("table inet filter chain input rule handle 3", udp.DecidedBy!.Location);

        var other = Evaluate("reject", TransportProtocol.Tcp, 8081);
        Assert.Equal(FirewallDecision.Allowed, other.Decision);
        Assert.Equal("policy accept", other.DecidedBy!.Text);
    }

    [Fact]
    public void Jump_to_a_user_chain_that_accepts_allows_by_the_user_chain_rule()
    {
        var verdict = Evaluate("jump-user-chain", TransportProtocol.Tcp, 8080);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.StartsWith("table inet filter chain services rule handle", verdict.DecidedBy!.Location, StringComparison.Ordinal);
        Assert.Equal("tcp dport 8080 accept", verdict.DecidedBy.Text);

        var range = Evaluate("jump-user-chain", TransportProtocol.Udp, 5005);
        Assert.Equal(FirewallDecision.Allowed, range.Decision);
        Assert.Equal("meta l4proto { tcp, udp } th dport 5000-5010 accept", range.DecidedBy!.Text);
    }

    [Fact]
    public void Return_from_a_user_chain_resumes_after_the_jump()
    {
        var verdict = Evaluate("jump-user-chain", TransportProtocol.Udp, 9999);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("table inet filter chain input rule handle 5", verdict.DecidedBy!.Location);
        Assert.Equal("udp dport 9999 accept", verdict.DecidedBy.Text);
    }

    [Fact]
    public void Falling_off_a_user_chain_returns_and_the_policy_decides()
    {
        var verdict = Evaluate("jump-user-chain", TransportProtocol.Tcp, 9000);
        Assert.Equal(FirewallDecision.Blocked, verdict.Decision);
        Assert.Equal("policy drop", verdict.DecidedBy!.Text);
    }

    [Fact]
    public void Loopback_only_accept_does_not_admit_internet_traffic()
    {
        var verdict = Evaluate("iif-lo-only", TransportProtocol.Tcp, 8080);
        Assert.Equal(FirewallDecision.Blocked, verdict.Decision);
        Assert.Equal("table inet filter chain input", verdict.DecidedBy!.Location);
        Assert.Equal("policy drop", verdict.DecidedBy.Text);
    }

    [Fact]
    public void Established_related_accept_does_not_admit_a_new_connection()
    {
        var verdict = Evaluate("ct-established-only", TransportProtocol.Tcp, 8080);
        Assert.Equal(FirewallDecision.Blocked, verdict.Decision);
        Assert.Equal("policy drop", verdict.DecidedBy!.Text);
    }

    [Fact]
    public void Counters_logs_comments_and_verdict_maps_are_noise_and_named_interval_sets_match()
    {
        var verdict = Evaluate("counter-comment-noise", TransportProtocol.Tcp, 8042);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("table inet filter chain input rule handle 8", verdict.DecidedBy!.Location);
        Assert.Contains("comment \"web server\"", verdict.DecidedBy.Text, StringComparison.Ordinal);

        var blocked = Evaluate("counter-comment-noise", TransportProtocol.Tcp, 8100);
        Assert.Equal(FirewallDecision.Blocked, blocked.Decision);
        Assert.Equal("policy drop", blocked.DecidedBy!.Text);
    }

    [Fact]
    public void A_source_restricted_accept_is_skipped_with_a_note()
    {
        var verdict = Evaluate("counter-comment-noise", TransportProtocol.Tcp, 22);
        Assert.Equal(FirewallDecision.Blocked, verdict.Decision);
        Assert.Equal("policy drop", verdict.DecidedBy!.Text);
        Assert.Contains(verdict.Notes, n => n.Contains("rule handle 7", StringComparison.Ordinal) && n.Contains("192.168.1.0/24", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rate_limited_accept_allows_with_a_note()
    {
        var verdict = Evaluate("counter-comment-noise", TransportProtocol.Udp, 27015);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("table inet filter chain input rule handle 9", verdict.DecidedBy!.Location);
        Assert.Contains(verdict.Notes, n => n.Contains("rate-limited", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_input_base_chain_must_accept_and_the_earlier_priority_drop_wins()
    {
        var dropped = Evaluate("two-base-chains", TransportProtocol.Tcp, 8443);
        Assert.Equal(FirewallDecision.Blocked, dropped.Decision);
        Assert.Equal("table ip early chain input rule handle 2", dropped.DecidedBy!.Location);

        var allowed = Evaluate("two-base-chains", TransportProtocol.Tcp, 8080);
        Assert.Equal(FirewallDecision.Allowed, allowed.Decision);
        Assert.Equal("table inet filter chain input rule handle 3", allowed.DecidedBy!.Location);

        var policy = Evaluate("two-base-chains", TransportProtocol.Tcp, 9000);
        Assert.Equal(FirewallDecision.Blocked, policy.Decision);
        Assert.Equal("table inet filter chain input", policy.DecidedBy!.Location);
    }

    [Fact]
    public void An_ip_family_chain_does_not_see_ipv6()
    {
        var verdict = Evaluate("two-base-chains", TransportProtocol.Tcp, 8443, version: IpVersion.IPv6);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("table inet filter chain input rule handle 3", verdict.DecidedBy!.Location);
    }

    [Fact]
    public void An_expression_PortDoctor_does_not_model_gives_unknown_naming_the_rule()
    {
        var verdict = Evaluate("unknown-expression", TransportProtocol.Tcp, 8080);
        Assert.Equal(FirewallDecision.Unknown, verdict.Decision);
        Assert.Equal("table inet filter chain input rule handle 3", verdict.DecidedBy!.Location);
        Assert.Contains("fib", verdict.Reason?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_unknown_rule_does_not_matter_for_ports_it_cannot_match()
    {
        var allowed = Evaluate("unknown-expression", TransportProtocol.Tcp, 22);
        Assert.Equal(FirewallDecision.Allowed, allowed.Decision);
        Assert.Equal("table inet filter chain input rule handle 2", allowed.DecidedBy!.Location);

        var blocked = Evaluate("unknown-expression", TransportProtocol.Tcp, 9000);
        Assert.Equal(FirewallDecision.Blocked, blocked.Decision);
        Assert.Equal("policy drop", blocked.DecidedBy!.Text);
    }

    [Fact]
    public void A_specific_interface_match_is_unknown_until_the_interface_is_named()
    {
        var unknown = Evaluate("unknown-expression", TransportProtocol.Udp, 5353);
        Assert.Equal(FirewallDecision.Unknown, unknown.Decision);
        Assert.Equal("table inet filter chain input rule handle 4", unknown.DecidedBy!.Location);
        Assert.Contains("eth0", unknown.Reason?.ToString(), StringComparison.Ordinal);

        var onEth0 = Evaluate("unknown-expression", TransportProtocol.Udp, 5353, iface: "eth0");
        Assert.Equal(FirewallDecision.Allowed, onEth0.Decision);
        Assert.Equal("table inet filter chain input rule handle 4", onEth0.DecidedBy!.Location);

        var onWlan = Evaluate("unknown-expression", TransportProtocol.Udp, 5353, iface: "wlan0");
        Assert.Equal(FirewallDecision.Blocked, onWlan.Decision);
        Assert.Equal("policy drop", onWlan.DecidedBy!.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"nftables\": 5}")]
    [InlineData("{\"other\": []}")]
    [InlineData("{\"nftables\": [{\"chain\": {\"family\": 1}}]}")]
    public void Malformed_output_is_a_failure_not_an_exception(string json)
    {
        bool ok = NftRulesetParser.TryRead(json, out var ruleset, out string? error);
        if (ok)
        {
            Assert.Empty(ruleset!.Filter.BaseChains);
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    [Fact]
    public void An_empty_ruleset_allows_everything()
    {
        Assert.True(NftRulesetParser.TryRead("{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\", \"json_schema_version\": 1}}]}", out var ruleset, out _));
        var verdict = ChainEvaluator.Evaluate(ruleset!.Filter, new InboundQuery(TransportProtocol.Tcp, 8080), FirewallBackendNames.Nftables);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("no chain filters inbound traffic", verdict.DecidedBy!.Text);
    }
}
