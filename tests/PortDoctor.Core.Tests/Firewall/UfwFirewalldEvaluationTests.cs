using PortDoctor.Core.Firewall;
using PortDoctor.Core.Firewall.Firewalld;
using PortDoctor.Core.Firewall.Ufw;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Tests.Firewall;

public class UfwEvaluationTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>?> OpenSsh = new() { ["OpenSSH"] = ["22/tcp"] };

    private static FirewallVerdict Evaluate(string fixture, TransportProtocol protocol, int port, IpVersion version = IpVersion.IPv4, Dictionary<string, IReadOnlyList<string>?>? apps = null)
    {
        Assert.True(UfwStatusParser.TryRead(FirewallFixtures.Read($"ufw/{fixture}.txt"), out var status, out string? error), error);
        return UfwEvaluator.Evaluate(status!, new InboundQuery(protocol, port) { IpVersion = version }, apps ?? OpenSsh);
    }

    [Fact]
    public void Active_with_a_rule_for_the_port_allows_by_that_rule()
    {
        var verdict = Evaluate("active-with-rules", TransportProtocol.Tcp, 8080);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("ufw rule 2", verdict.DecidedBy!.Location);
        Assert.StartsWith("8080/tcp", verdict.DecidedBy.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ranges_protocols_and_v6_twins_are_matched()
    {
        Assert.Equal("ufw rule 3", Evaluate("active-with-rules", TransportProtocol.Udp, 6003).DecidedBy!.Location);
        Assert.Equal("Default: deny (incoming)", Evaluate("active-with-rules", TransportProtocol.Tcp, 6003).DecidedBy!.Text);
        Assert.Equal("ufw rule 9", Evaluate("active-with-rules", TransportProtocol.Tcp, 8080, IpVersion.IPv6).DecidedBy!.Location);
    }

    [Fact]
    public void Deny_for_both_protocols_blocks()
    {
        var verdict = Evaluate("active-with-rules", TransportProtocol.Udp, 25);
        Assert.Equal(FirewallDecision.Blocked, verdict.Decision);
        Assert.Equal("ufw rule 5", verdict.DecidedBy!.Location);
    }

    [Fact]
    public void Source_restricted_allow_falls_to_the_default_with_a_note()
    {
        var verdict = Evaluate("active-with-rules", TransportProtocol.Tcp, 3389);
        Assert.Equal(FirewallDecision.Blocked, verdict.Decision);
        Assert.Equal("Default: deny (incoming)", verdict.DecidedBy!.Text);
        Assert.Contains(verdict.Notes, n => n.Contains("192.168.1.0/24", StringComparison.Ordinal));
    }

    [Fact]
    public void Limit_allows_with_a_note()
    {
        var verdict = Evaluate("active-with-rules", TransportProtocol.Tcp, 2222);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("ufw rule 6", verdict.DecidedBy!.Location);
        Assert.Contains(verdict.Notes, n => n.Contains("LIMIT", StringComparison.Ordinal));
    }

    [Fact]
    public void An_application_profile_whose_ports_are_unreadable_gives_unknown_naming_it()
    {
        var verdict = Evaluate("active-with-rules", TransportProtocol.Tcp, 9000, apps: []);
        Assert.Equal(FirewallDecision.Unknown, verdict.Decision);
        Assert.Equal("ufw rule 7", verdict.DecidedBy!.Location);
        Assert.Contains("ufw app info", verdict.Reason?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_application_profile_is_matched_by_its_ports()
    {
        Assert.Equal(["OpenSSH"], UfwEvaluator.ApplicationsOf(Parse("active-with-rules")));
        Assert.True(UfwStatusParser.TryReadApplicationPorts("Profile: OpenSSH\nTitle: Secure shell server, an rshd replacement\nDescription: OpenSSH is a free implementation of the Secure Shell protocol.\n\nPort:\n  22/tcp\n", out var specs));
        Assert.Equal(["22/tcp"], specs);
        var verdict = Evaluate("active-with-rules", TransportProtocol.Tcp, 9000);
        Assert.Equal(FirewallDecision.Blocked, verdict.Decision);
        Assert.Equal("Default: deny (incoming)", verdict.DecidedBy!.Text);
    }

    private static UfwStatus Parse(string fixture)
    {
        Assert.True(UfwStatusParser.TryRead(FirewallFixtures.Read($"ufw/{fixture}.txt"), out var status, out _));
        return status!;
    }

    [Fact]
    public void Active_without_rules_blocks_by_default()
    {
        var verdict = Evaluate("active-no-rules", TransportProtocol.Tcp, 8080);
        Assert.Equal(FirewallDecision.Blocked, verdict.Decision);
        Assert.Equal("ufw", verdict.DecidedBy!.Location);
        Assert.Equal("Default: deny (incoming)", verdict.DecidedBy.Text);
    }

    [Fact]
    public void Inactive_allows_with_a_note_about_other_rules()
    {
        var verdict = Evaluate("inactive", TransportProtocol.Tcp, 8080);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("Status: inactive", verdict.DecidedBy!.Text);
        Assert.NotEmpty(verdict.Notes);
    }

    [Fact]
    public void Root_error_is_a_failure()
    {
        Assert.False(UfwStatusParser.TryRead("ERROR: You need to be root to run this script\n", out _, out string? error));
        Assert.Contains("root", error, StringComparison.Ordinal);
    }
}

public class FirewalldEvaluationTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>?> Services = new()
    {
        ["ssh"] = ["22/tcp"],
        ["dhcpv6-client"] = ["546/udp"],
        ["cockpit"] = ["9090/tcp"],
    };

    private static FirewallVerdict Evaluate(TransportProtocol protocol, int port, Dictionary<string, IReadOnlyList<string>?>? services = null)
    {
        Assert.True(FirewalldParser.TryReadZone(FirewallFixtures.Read("firewalld/list-all-public.txt"), out var zone, out string? error), error);
        return FirewalldEvaluator.Evaluate(zone!, new InboundQuery(protocol, port), services ?? Services);
    }

    [Fact]
    public void Parses_the_zone()
    {
        Assert.True(FirewalldParser.TryReadZone(FirewallFixtures.Read("firewalld/list-all-public.txt"), out var zone, out _));
        Assert.Equal("public", zone!.Name);
        Assert.True(zone.IsActive);
        Assert.Equal("default", zone.Target);
        Assert.Equal(["cockpit", "dhcpv6-client", "ssh"], zone.Services);
        Assert.Equal(["8080/tcp", "5000-5010/udp"], zone.Ports);
        Assert.Equal(3, zone.RichRules.Count);
    }

    [Fact]
    public void Listed_port_and_range_allow()
    {
        var verdict = Evaluate(TransportProtocol.Tcp, 8080);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("firewalld zone public", verdict.DecidedBy!.Location);
        Assert.Equal("ports: 8080/tcp", verdict.DecidedBy.Text);
        Assert.Equal("ports: 5000-5010/udp", Evaluate(TransportProtocol.Udp, 5003).DecidedBy!.Text);
    }

    [Fact]
    public void A_service_allows_its_ports()
    {
        var verdict = Evaluate(TransportProtocol.Tcp, 9090);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("services: cockpit (9090/tcp)", verdict.DecidedBy!.Text);
    }

    [Fact]
    public void An_unreadable_service_gives_unknown_only_when_nothing_else_decides()
    {
        var services = new Dictionary<string, IReadOnlyList<string>?>(Services) { ["cockpit"] = null };
        var verdict = Evaluate(TransportProtocol.Tcp, 9090, services);
        Assert.Equal(FirewallDecision.Unknown, verdict.Decision);
        Assert.Equal("services: cockpit", verdict.DecidedBy!.Text);
        Assert.Contains("--info-service=cockpit", verdict.Reason?.ToString(), StringComparison.Ordinal);
        Assert.Equal(FirewallDecision.Allowed, Evaluate(TransportProtocol.Tcp, 8080, services).Decision);
    }

    [Fact]
    public void A_reject_rich_rule_blocks()
    {
        var verdict = Evaluate(TransportProtocol.Tcp, 25);
        Assert.Equal(FirewallDecision.Blocked, verdict.Decision);
        Assert.Equal("firewalld zone public rich rule", verdict.DecidedBy!.Location);
        Assert.Contains("port=\"25\"", verdict.DecidedBy.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_restricted_rich_rule_does_not_admit_internet_traffic()
    {
        var verdict = Evaluate(TransportProtocol.Tcp, 3389);
        Assert.Equal(FirewallDecision.Blocked, verdict.Decision);
        Assert.Equal("target: default", verdict.DecidedBy!.Text);
        Assert.Contains(verdict.Notes, n => n.Contains("192.168.1.0/24", StringComparison.Ordinal));
    }

    [Fact]
    public void Log_only_rich_rules_decide_nothing()
    {
        var verdict = Evaluate(TransportProtocol.Tcp, 22);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("services: ssh (22/tcp)", verdict.DecidedBy!.Text);
    }

    [Fact]
    public void Service_ports_are_read_from_info_service()
    {
        Assert.True(FirewalldParser.TryReadServicePorts(FirewallFixtures.Read("firewalld/info-service-dhcpv6-client.txt"), out var ports, out _));
        Assert.Equal(["546/udp"], ports);
    }
}
