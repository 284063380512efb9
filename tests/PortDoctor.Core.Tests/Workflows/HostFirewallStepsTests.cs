using System.Net;
using PortDoctor.Core.Firewall;
using PortDoctor.Core.Journal;
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
}
