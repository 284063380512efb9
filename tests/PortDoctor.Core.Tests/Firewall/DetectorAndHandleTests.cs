using PortDoctor.Core.Firewall;
using PortDoctor.Core.Firewall.Iptables;
using PortDoctor.Core.Firewall.Nftables;
using PortDoctor.Core.Firewall.Ufw;
using PortDoctor.Core.Firewall.Windows;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Tests.Firewall;

public class FirewallDetectorTests
{
    [Fact]
    public async Task Linux_picks_nftables_when_firewalld_is_missing_and_ufw_inactive()
    {
        var runner = new FakeCommandRunner()
            .On("ufw status verbose", FirewallFixtures.Read("ufw/inactive.txt"))
            .On("nft -j list ruleset", FirewallFixtures.Read("nftables/policy-drop-accept.json"));
        var detection = await new FirewallDetector(runner, isPrivileged: true, isWindows: false).DetectAsync(null, CancellationToken.None);
        Assert.IsType<NftablesFirewall>(detection.Firewall);
        Assert.Equal(["firewalld", "ufw", "nftables"], detection.Checked.Select(c => c.Backend));
        Assert.Contains("policy drop", detection.State!.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Linux_prefers_firewalld_then_ufw()
    {
        var firewalld = new FakeCommandRunner()
            .On("firewall-cmd --state", "running\n")
            .On("firewall-cmd --list-all", FirewallFixtures.Read("firewalld/list-all-public.txt"));
        Assert.Equal("firewalld", (await new FirewallDetector(firewalld, true, false).DetectAsync(null, CancellationToken.None)).Firewall!.Name);

        var ufw = new FakeCommandRunner()
            .On("ufw status verbose", FirewallFixtures.Read("ufw/active-no-rules.txt"))
            .On("nft -j list ruleset", FirewallFixtures.Read("nftables/policy-drop-accept.json"));
        Assert.IsType<UfwFirewall>((await new FirewallDetector(ufw, true, false).DetectAsync(null, CancellationToken.None)).Firewall);
    }

    [Fact]
    public async Task Linux_falls_back_to_iptables_and_reports_none_when_nothing_filters()
    {
        var iptables = new FakeCommandRunner()
            .On("nft -j list ruleset", "{\"nftables\": []}")
            .On("iptables-save -t filter", FirewallFixtures.Read("iptables/iptables-nft.txt"));
        Assert.IsType<IptablesFirewall>((await new FirewallDetector(iptables, true, false).DetectAsync(null, CancellationToken.None)).Firewall);

        var none = new FakeCommandRunner().On("nft -j list ruleset", "{\"nftables\": []}");
        var detection = await new FirewallDetector(none, true, false).DetectAsync(null, CancellationToken.None);
        Assert.Null(detection.Firewall);
        Assert.StartsWith("No active host firewall found", detection.Describe(), StringComparison.Ordinal);
        Assert.Matches("^([a-z-]+=(active|inactive|unreadable))( [a-z-]+=(active|inactive|unreadable))*$", detection.CheckedEvidence());
        Assert.Contains("nftables=inactive", detection.CheckedEvidence().Split(' '));
        Assert.Equal(detection.Checked.Select(c => c.Backend), detection.CheckedEvidence().Split(' ').Select(p => p.Split('=')[0]));
    }

    [Fact]
    public async Task Windows_uses_defender_and_a_forced_name_wins()
    {
        var detection = await new FirewallDetector(new FakeCommandRunner(), true, true).DetectAsync(null, CancellationToken.None);
        Assert.IsType<WindowsDefenderFirewall>(detection.Firewall);

        var runner = new FakeCommandRunner().On("ufw status verbose", FirewallFixtures.Read("ufw/inactive.txt"));
        var forced = await new FirewallDetector(runner, true, false).DetectAsync("UFW", CancellationToken.None);
        Assert.IsType<UfwFirewall>(forced.Firewall);
        Assert.False(forced.State!.IsActive);
    }

    [Fact]
    public async Task An_unknown_forced_name_lists_the_valid_ones()
    {
        var ex = await Assert.ThrowsAsync<UnknownFirewallBackendException>(() => new FirewallDetector(new FakeCommandRunner(), true, false).DetectAsync("pf", CancellationToken.None));
        Assert.Contains("nftables", ex.Message, StringComparison.Ordinal);
    }
}

public class FirewallRuleHandleTests
{
    [Fact]
    public void Round_trips_through_the_journal()
    {
        var handle = new FirewallRuleHandle(FirewallBackendNames.Nftables, TransportProtocol.Udp, 27015, "inet filter input 23");
        var change = handle.ToJournalChange();
        Assert.Equal("firewall", change.Kind);
        Assert.Equal("nftables", change.Method);
        Assert.Equal("udp", change.Protocol);
        Assert.True(FirewallRuleHandle.TryRead(change, out var back, out _));
        Assert.Equal(handle, back);
        Assert.Equal("portdoctor:27015/udp", back!.Tag);
    }

    [Fact]
    public void Rejects_records_that_are_not_firewall_rules()
    {
        var mapping = new JournalChange { Kind = "mapping", Method = "upnp", Protocol = "tcp", ExternalPort = 80 };
        Assert.False(FirewallRuleHandle.TryRead(mapping, out _, out var problem));
        Assert.Contains("mapping", problem!.Text.ToString(), StringComparison.Ordinal);
        Assert.False(FirewallRuleHandle.TryRead(mapping with { Kind = "firewall", Method = "pf" }, out _, out _));
        Assert.False(FirewallRuleHandle.TryRead(mapping with { Kind = "firewall", Method = "ufw", ExternalPort = 0 }, out _, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Queries_refuse_ports_outside_the_range(int port) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new InboundQuery(TransportProtocol.Tcp, port));

    [Fact]
    public void Names_normalize()
    {
        Assert.True(FirewallBackendNames.TryNormalize(" NFT ", out string name));
        Assert.Equal("nftables", name);
        Assert.True(FirewallBackendNames.TryNormalize("Defender", out name));
        Assert.Equal("windows", name);
        Assert.False(FirewallBackendNames.TryNormalize("pf", out _));
    }

    [Fact]
    public void Command_lines_are_quoted_for_a_shell()
    {
        Assert.Equal("sudo ufw allow 80/tcp comment 'a b'", CommandLineText.Join("sudo", ["ufw", "allow", "80/tcp", "comment", "a b"]));
        Assert.Equal("'it'\\''s'", CommandLineText.Quote("it's"));
        Assert.Equal("''", CommandLineText.Quote(""));
    }
}
