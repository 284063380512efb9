using PortDoctor.Core.Localization;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Diagnosis.Checks;
using PortDoctor.Core.Firewall;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Tests.Diagnosis;

public sealed class HostFirewallCheckTests
{
    private static readonly FirewallRuleReference Policy = new("table inet filter chain input", "policy drop");

    public static TheoryData<string, string, string, bool, string> Cases => new()
    {
        // name, verdict (none|allowed|blocked|unknown|-), finding codes (comma-separated), reachable, expected
        { "no active firewall", "none", "", false, "host-firewall:Info" },
        { "allowed", "allowed", "", false, "host-firewall:Info" },
        { "blocked", "blocked", "", false, "host-firewall-blocks:Fault" },
        { "cannot tell", "unknown", "", false, "host-firewall:Warning" },
        { "security suite, not reachable", "allowed", FirewallFindingCodes.ThirdPartyFirewall, false, "host-firewall:Info third-party-firewall:Fault" },
        { "security suite, reachable anyway", "allowed", FirewallFindingCodes.ThirdPartyFirewall, true, "host-firewall:Info third-party-firewall:Warning" },
        { "Windows blocks all incoming", "allowed", FirewallFindingCodes.BlockAllIncoming, true, "host-firewall:Info host-firewall-blocks:Fault" },
        { "other finding of the active firewall", "allowed", FirewallFindingCodes.MixedIptablesNft, false, "host-firewall:Info host-firewall:Warning" },
        { "blocked and block-all", "blocked", FirewallFindingCodes.BlockAllIncoming, false, "host-firewall-blocks:Fault host-firewall-blocks:Fault" },
        { "nothing inspected", "-", "", false, "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Weighs_the_verdict_and_the_firewall_findings(string name, string verdict, string codes, bool reachable, string expected)
    {
        var facts = Facts(verdict, codes);
        var f = new FindingList();

        HostFirewallCheck.Report(f, new DiagnoseOptions { Port = 8080 }, facts, reachable);

        Assert.True(expected == FindingAssert.Ids(f), $"{name}: {FindingAssert.Ids(f)}");
    }

    [Fact]
    public void A_block_names_the_backend_and_the_deciding_rule()
    {
        var f = new FindingList();
        HostFirewallCheck.Report(f, new DiagnoseOptions { Port = 8080 }, Facts("blocked", ""), reachable: false);
        var blocks = FindingAssert.Single(f, FindingIds.HostFirewallBlocks);
        Assert.Equal(("nftables", "blocked", "table inet filter chain input: policy drop"),
            (blocks.Evidence["backend"], blocks.Evidence["decision"], blocks.Evidence["decidedBy"]));
        Assert.Equal(["nftables", "8080/tcp", "table inet filter chain input: policy drop"], blocks.Message.Args);
        Assert.Equal("Diag.Fix.HostFirewall", blocks.Fix?.Key);
    }

    [Fact]
    public void Without_a_port_nothing_is_inspected_or_reported()
    {
        var f = new FindingList();
        HostFirewallCheck.Report(f, new DiagnoseOptions(), Facts("blocked", ""), reachable: false);
        Assert.Empty(f.Items);
    }

    [Fact]
    public async Task Inspection_goes_through_the_firewall_seam_only_when_there_is_a_port()
    {
        using var seams = new DiagnoseSeams();
        var context = seams.Context();
        Assert.Same(HostFirewallCheck.Facts.None, await HostFirewallCheck.InspectAsync(context, new DiagnoseOptions(), TestContext.Current.CancellationToken));
        var none = await HostFirewallCheck.InspectAsync(context, new DiagnoseOptions { Port = 8080 }, TestContext.Current.CancellationToken);
        Assert.Null(none.Detection);
    }

    private static HostFirewallCheck.Facts Facts(string verdict, string codes)
    {
        if (verdict == "-")
        {
            return HostFirewallCheck.Facts.None;
        }

        var v = verdict switch
        {
            "allowed" => FirewallVerdict.Allowed("nftables", new FirewallRuleReference("table inet filter chain input", "tcp dport 8080 accept")),
            "blocked" => FirewallVerdict.Blocked("nftables", Policy),
            "unknown" => FirewallVerdict.Unknown("nftables", Text.Of("FirewallVerdict.CannotEvaluate")),
            _ => null,
        };
        var findings = codes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => new FirewallFinding(c, Text.Of("Common.Verbatim", "finding " + c))).ToList();
        var state = new FirewallState("nftables", true, "nftables is active", findings);
        var detection = v is null
            ? new FirewallDetection(null, null, [new FirewallState("nftables", false, "nftables: no input hook", [])])
            : new FirewallDetection(new FirewallFake(v), state, [state]);
        return new HostFirewallCheck.Facts(detection, [new HostFirewallSteps.Evaluation(TransportProtocol.Tcp, v)]);
    }
}
