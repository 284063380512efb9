using PortDoctor.Core.Firewall;
using PortDoctor.Core.Firewall.Windows;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Tests.Firewall;

public class WindowsFirewallEvaluationTests
{
    // Stands in for Environment.ExpandEnvironmentVariables on a Windows installed in C:\Windows.
    private static string Expand(string path) => path.Replace("%SystemRoot%", @"C:\Windows", StringComparison.OrdinalIgnoreCase);

    private static WindowsFirewallSnapshot Read(string fixture)
    {
        Assert.True(WindowsFirewallParser.TryRead(FirewallFixtures.Read($"windows/{fixture}.json"), out var snapshot, out string? error), error);
        return snapshot!;
    }

    private static FirewallVerdict Evaluate(string fixture, TransportProtocol protocol, int port, string? program = null, string? iface = null) =>
        WindowsFirewallEvaluator.Evaluate(Read(fixture), new InboundQuery(protocol, port, program) { InterfaceName = iface }, Expand);

    public static TheoryData<string, int, string?, FirewallDecision, string> Cases => new()
    {
        { "TCP", 8080, null, FirewallDecision.Allowed, "Windows Defender Firewall rule PortDoctor-8080-TCP" },
        { "TCP", 23, null, FirewallDecision.Blocked, "Windows Defender Firewall rule {0A9B8C7D-6E5F-4A3B-9C2D-1E0F9A8B7C6D}" },
        { "UDP", 27017, null, FirewallDecision.Allowed, "Windows Defender Firewall rule {6F1B4A2C-3D5E-4F60-8A71-92B3C4D5E6F7}" },
        { "TCP", 445, null, FirewallDecision.Blocked, "Windows Defender Firewall Private profile" },
        { "TCP", 3389, null, FirewallDecision.Blocked, "Windows Defender Firewall Private profile" },
        { "TCP", 9000, null, FirewallDecision.Blocked, "Windows Defender Firewall Private profile" },
        { "TCP", 9000, @"C:\Program Files\Streamer\encoder.exe", FirewallDecision.Allowed, @"Windows Defender Firewall rule TCP Query User{A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF}C:\program files\streamer\encoder.exe" },
        { "TCP", 443, null, FirewallDecision.Blocked, "Windows Defender Firewall Private profile" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void English_and_Japanese_Windows_give_the_same_verdict_and_deciding_rule(string protocol, int port, string? program, FirewallDecision decision, string location)
    {
        Assert.True(TransportProtocolNames.TryParse(protocol, out var p));
        var en = Evaluate("inspect-en", p, port, program);
        var ja = Evaluate("inspect-ja", p, port, program);
        Assert.Equal(decision, en.Decision);
        Assert.Equal(location, en.DecidedBy!.Location);
        Assert.Equal(en.Decision, ja.Decision);
        Assert.Equal(en.DecidedBy.Location, ja.DecidedBy!.Location);
    }

    [Fact]
    public void The_localized_display_name_is_shown_but_does_not_decide()
    {
        var ja = Evaluate("inspect-ja", TransportProtocol.Tcp, 23);
        Assert.StartsWith("Telnet をブロック", ja.DecidedBy!.Text, StringComparison.Ordinal);
        var en = Evaluate("inspect-en", TransportProtocol.Tcp, 23);
        Assert.StartsWith("Block Telnet", en.DecidedBy!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_block_names_the_policy()
    {
        var verdict = Evaluate("inspect-en", TransportProtocol.Tcp, 9000);
        Assert.Equal("DefaultInboundAction: Block (no allow rule matches)", verdict.DecidedBy!.Text);
    }

    [Fact]
    public void Rules_for_other_programs_services_and_local_subnet_are_noted_not_counted()
    {
        var subnet = Evaluate("inspect-en", TransportProtocol.Tcp, 445);
        Assert.Contains(subnet.Notes, n => n.Contains("LocalSubnet", StringComparison.Ordinal));
        var service = Evaluate("inspect-en", TransportProtocol.Tcp, 3389);
        Assert.Contains(service.Notes, n => n.Contains("termservice", StringComparison.Ordinal));
        var program = Evaluate("inspect-en", TransportProtocol.Tcp, 9000);
        Assert.Contains(program.Notes, n => n.Contains("encoder.exe", StringComparison.Ordinal) && n.Contains("--program", StringComparison.Ordinal));
    }

    [Fact]
    public void Block_all_incoming_overrides_allow_rules_and_is_a_finding()
    {
        var verdict = Evaluate("inspect-en-block-all", TransportProtocol.Tcp, 8080);
        Assert.Equal(FirewallDecision.Blocked, verdict.Decision);
        Assert.Equal("Windows Defender Firewall Private profile", verdict.DecidedBy!.Location);
        Assert.StartsWith("AllowInboundRules: False", verdict.DecidedBy.Text, StringComparison.Ordinal);
        var finding = Assert.Single(verdict.Findings, f => f.Code == FirewallFindingCodes.BlockAllIncoming);
        Assert.Contains("overrides every allow rule", finding.Message.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_enabled_security_suite_firewall_is_a_finding_naming_program_protocol_and_port()
    {
        var verdict = Evaluate("inspect-ja", TransportProtocol.Udp, 27015, @"C:\Games\server.exe");
        var finding = Assert.Single(verdict.Findings, f => f.Code == FirewallFindingCodes.ThirdPartyFirewall);
        Assert.Equal("ESET Smart Security", finding.Evidence!["product"]);
        Assert.Contains(@"C:\Games\server.exe", finding.Message.ToString(), StringComparison.Ordinal);
        Assert.Contains("UDP port 27015", finding.Message.ToString(), StringComparison.Ordinal);
        Assert.Contains("inbound", finding.Message.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(verdict.Findings, f => f.Message.ToString().Contains("Old Suite", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(266240, true)]
    [InlineData(262144, false)]
    [InlineData(397312, true)]
    [InlineData(393216, false)]
    public void Product_state_enabled_bit_is_decoded(int state, bool enabled) =>
        Assert.Equal(enabled, new SecurityCenterProduct("x", state).IsEnabled);

    [Fact]
    public void Two_networks_with_different_verdicts_are_unknown_until_the_interface_is_named()
    {
        var both = Evaluate("inspect-en-two-networks", TransportProtocol.Udp, 27015);
        Assert.Equal(FirewallDecision.Unknown, both.Decision);
        Assert.Contains("Private: allowed", both.Reason?.ToString(), StringComparison.Ordinal);
        Assert.Contains("Public: blocked", both.Reason?.ToString(), StringComparison.Ordinal);

        var ethernet = Evaluate("inspect-en-two-networks", TransportProtocol.Udp, 27015, iface: "Ethernet");
        Assert.Equal(FirewallDecision.Allowed, ethernet.Decision);
        var wifi = Evaluate("inspect-en-two-networks", TransportProtocol.Udp, 27015, iface: "Wi-Fi");
        Assert.Equal(FirewallDecision.Blocked, wifi.Decision);
        Assert.Equal("Windows Defender Firewall Public profile", wifi.DecidedBy!.Location);
    }

    [Fact]
    public void A_single_product_object_and_wrapped_arrays_are_read()
    {
        var snapshot = Read("inspect-en-two-networks");
        Assert.Single(snapshot.Products);
        Assert.Single(Read("inspect-ja").Connections);
        Assert.Equal("イーサネット", Read("inspect-ja").Connections[0].InterfaceAlias);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Get-NetFirewallProfile : アクセスが拒否されました。")]
    [InlineData("{\"Profiles\": []}")]
    [InlineData("[1,2]")]
    public void Malformed_output_is_a_failure(string json)
    {
        Assert.False(WindowsFirewallParser.TryRead(json, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
