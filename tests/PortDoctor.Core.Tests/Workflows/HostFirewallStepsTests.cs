using System.Net;
using PortDoctor.Core.Firewall;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Reports;
using PortDoctor.Core.Tests.Firewall;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Tests.Workflows;

/// <summary>Adding a host firewall rule goes through the same journaled sequence as a router mapping.</summary>
public sealed class HostFirewallStepsTests : IDisposable
{
    private const string List = "nft -j list ruleset";
    private const string Insert = "nft -j -e -a insert rule inet filter input tcp dport 9000 counter accept comment \"portdoctor:9000/tcp\"";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pd-fwsteps-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _points = [];

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private WorkflowContext Context(FakeCommandRunner runner) => new()
    {
        FindGateways = _ => [new GatewayInfo(IPAddress.Parse("192.168.77.1"), IPAddress.Parse("192.168.77.10"), 24, "eth0")],
        PortOwners = new FakeOwners(true),
        GatewayProbe = new FakeProbe(),
        MapperFactory = new FakeFactory(new FakeMapper()),
        Journal = new ChangeJournal(_dir) { CrashPointObserver = _points.Add },
        Firewall = new FirewallDetector(runner, isPrivileged: true, isWindows: false),
        ForcedFirewall = FirewallBackendNames.Nftables,
    };

    [Fact]
    public async Task An_added_rule_is_journaled_intent_then_done_through_every_crash_point()
    {
        var runner = new FakeCommandRunner()
            .On(List, FirewallFixtures.Read("nftables/policy-drop-accept.json"))
            .On(Insert, "{\"nftables\": [{\"insert\": {\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", \"handle\": 23, \"comment\": \"portdoctor:9000/tcp\", \"expr\": []}}}]}");
        var context = Context(runner);

        var (steps, failed) = await HostFirewallSteps.EnsureOpenAsync(context, 9000, [TransportProtocol.Tcp], null, TestContext.Current.CancellationToken);

        Assert.False(failed);
        Assert.Equal(StepStatus.Done, Assert.Single(steps, s => s.Id == "firewall.tcp").Status);
        Assert.Equal([CrashPoints.IntentTorn, CrashPoints.IntentWritten, CrashPoints.BeforeSend, CrashPoints.AfterSend, CrashPoints.DoneWritten], _points);
        var entries = context.Journal.ReadAll();
        Assert.Equal([JournalOp.Intent, JournalOp.Done], entries.Select(e => e.Op));
        Assert.Equal(string.Empty, entries[0].Change.RuleHandle);
        Assert.Equal("inet filter input 23", entries[1].Change.RuleHandle);
    }

    [Fact]
    public async Task A_rule_that_could_not_be_added_is_journaled_failed_with_its_status()
    {
        var runner = new FakeCommandRunner()
            .On(List, FirewallFixtures.Read("nftables/policy-drop-accept.json"))
            .On(Insert, PortDoctor.Core.Processes.CommandResult.Exit(1, "", "Error: Could not process rule: Operation not permitted"));
        var context = Context(runner);

        var (_, failed) = await HostFirewallSteps.EnsureOpenAsync(context, 9000, [TransportProtocol.Tcp], null, TestContext.Current.CancellationToken);

        Assert.True(failed);
        var last = context.Journal.ReadAll()[^1];
        Assert.Equal(JournalOp.Failed, last.Op);
        Assert.DoesNotContain(' ', last.Error!); // the status name, no prose
        Assert.Empty(context.Journal.Outstanding());
    }

    [Fact]
    public async Task Close_removes_the_rule_and_says_so_once_in_either_language()
    {
        var adding = new FakeCommandRunner()
            .On(List, FirewallFixtures.Read("nftables/policy-drop-accept.json"))
            .On(Insert, "{\"nftables\": [{\"insert\": {\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", \"handle\": 23, \"comment\": \"portdoctor:9000/tcp\", \"expr\": []}}}]}");
        var (added, _) = await HostFirewallSteps.EnsureOpenAsync(Context(adding), 9000, [TransportProtocol.Tcp], null, TestContext.Current.CancellationToken);
        string addedJa = Localizer.Format(Assert.Single(added, s => s.Id == "firewall.tcp").Message, UiLanguage.Japanese);
        Assert.Equal("この PC のファイアウォール（nftables）が 9000/tcp を通していなかったため（table inet filter chain input: policy drop）、そのポートだけを通す規則を 1 つ追加しました。"
            + "追加した規則は table inet filter chain input の先頭にあります：tcp dport 9000 accept。", addedJa);

        string withRule = FirewallFixtures.Read("nftables/policy-drop-accept.json").Replace(
            "\"nftables\": [",
            "\"nftables\": [{\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", \"handle\": 23, \"comment\": \"portdoctor:9000/tcp\", \"expr\": [{\"accept\": null}]}},",
            StringComparison.Ordinal);
        var removing = new FakeCommandRunner().On(List, withRule).On("nft delete rule inet filter input handle 23", "");
        var report = await new CloseWorkflow(Context(removing)).RunAsync(9000, TestContext.Current.CancellationToken);

        var step = Assert.Single(report.Steps, s => s.Id == "revert.firewall.tcp.9000");
        Assert.Equal(StepStatus.Done, step.Status);
        Assert.Equal("Removed PortDoctor's host firewall rule (nftables) for 9000/tcp. It was in table inet filter chain input.", Localizer.Format(step.Message, UiLanguage.English));
        Assert.Equal("PortDoctor が追加したファイアウォール規則（nftables、9000/tcp）を削除しました。規則は table inet filter chain input にありました。", Localizer.Format(step.Message, UiLanguage.Japanese));
        Assert.Empty(Context(removing).Journal.Outstanding());
    }
}
