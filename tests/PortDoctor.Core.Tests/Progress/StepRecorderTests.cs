using System.Net;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Progress;
using PortDoctor.Core.Reachability;
using PortDoctor.Core.Reports;
using PortDoctor.Core.Tests.Workflows;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Tests.Progress;

public sealed class StepRecorderTests : IDisposable
{
    private static readonly GatewayInfo Home = new(IPAddress.Parse("192.168.77.1"), IPAddress.Parse("192.168.77.10"), 24, "eth0");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pd-progress-" + Guid.NewGuid().ToString("N"));
    private readonly FakeMapper _mapper = new();
    private readonly RecordingSink _sink = new();

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    private WorkflowContext Context(ICheckerClient? checker = null) => new()
    {
        FindGateways = _ => [Home],
        PortOwners = new FakeOwners(true),
        GatewayProbe = new FakeProbe(_mapper),
        MapperFactory = new FakeFactory(_mapper),
        Journal = new ChangeJournal(_dir),
        Checker = checker,
        Progress = _sink,
    };

    private static ChecklistStep Step(string id) => new(id, StepStatus.AlreadyFine, Text.Of("Common.Verbatim", id));

    [Fact]
    public void Add_publishes_at_once_and_a_list_added_later_is_published_step_by_step()
    {
        var steps = new StepRecorder(_sink);
        steps.Add(Step("a"));
        Assert.Equal(["step:a"], _sink.Names);

        steps.AddRange([Step("b"), Step("c")]);
        Assert.Equal(["step:a", "step:b", "step:c"], _sink.Names);
        Assert.Equal(["a", "b", "c"], steps.Select(s => s.Id));
        Assert.Equal(3, steps.Count);
        Assert.Equal("b", steps[1].Id);
    }

    [Fact]
    public void Steps_of_another_recorder_on_the_same_sink_are_not_published_twice()
    {
        var inner = new StepRecorder(_sink);
        inner.Add(Step("check.tcp"));
        var outer = new StepRecorder(_sink);
        outer.Add(Step("port"));
        outer.AddRange(inner);

        Assert.Equal(["step:check.tcp", "step:port"], _sink.Names);
        Assert.Equal(["port", "check.tcp"], outer.Select(s => s.Id));

        var elsewhere = new RecordingSink();
        new StepRecorder(elsewhere).AddRange(inner);
        Assert.Equal(["step:check.tcp"], elsewhere.Names);
    }

    [Fact]
    public void The_report_is_a_copy_that_later_adds_do_not_change()
    {
        var steps = new StepRecorder(_sink);
        steps.Add(Step("a"));
        var snapshot = steps.ToList();
        steps.Add(Step("b"));
        Assert.Single(snapshot);
    }

    [Fact]
    public async Task Open_publishes_every_step_once_in_order_and_announces_each_slow_wait_first()
    {
        var report = await new OpenWorkflow(Context(new FakeChecker(ReachabilityState.Open))).RunAsync(Options(), TestContext.Current.CancellationToken);

        Assert.Equal(
            ["step:port", "step:network", "step:listener.tcp", "wait:Wait.Router", "step:gateway", "wait:Wait.Mapping", "step:mapping.tcp", "wait:Wait.Checker", "step:check.tcp"],
            _sink.Names);
        Assert.Equal(report.Steps, _sink.Steps);
        Assert.All(report.Steps.Zip(_sink.Steps), pair => Assert.Same(pair.First, pair.Second));
    }

    [Fact]
    public async Task Open_steps_are_published_while_it_runs_not_at_the_end()
    {
        _mapper.BlockMap = new TaskCompletionSource();
        var context = Context();
        using var cts = new CancellationTokenSource();
        var run = new OpenWorkflow(context).RunAsync(Options(noCheck: true), cts.Token);
        while (_mapper.Maps.Count == 0)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        // The mapping request hangs: what was decided before it is already out, and the wait is announced.
        Assert.Equal(["step:port", "step:network", "step:listener.tcp", "wait:Wait.Router", "step:gateway", "wait:Wait.Mapping"], _sink.Names);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal("wait:Wait.Mapping", _sink.Names[^1]);
    }

    [Fact]
    public async Task Both_protocols_each_check_step_comes_before_the_next_check_is_asked()
    {
        var checker = new FakeChecker(ReachabilityState.Open);
        var report = await new OpenWorkflow(Context(checker)).RunAsync(Options(protocols: [TransportProtocol.Tcp, TransportProtocol.Udp]), TestContext.Current.CancellationToken);

        var names = _sink.Names.SkipWhile(n => n != "step:mapping.udp").Skip(1).ToList();
        Assert.Equal(["wait:Wait.Checker", "step:check.tcp", "wait:Wait.Checker", "step:check.udp"], names);
        Assert.Equal(report.Steps.Count, _sink.Steps.Count);
    }

    [Fact]
    public async Task Check_and_close_publish_their_steps()
    {
        var check = await new CheckWorkflow(Context()).RunAsync(8080, TransportProtocol.Tcp, TestContext.Current.CancellationToken);
        Assert.Equal(check.Steps, _sink.Steps);
        Assert.Contains("step:check", _sink.Names);

        var context = Context();
        await new OpenWorkflow(context).RunAsync(Options(noCheck: true), TestContext.Current.CancellationToken);
        var before = _sink.Steps.Count;
        var close = await new CloseWorkflow(context).RunAsync(8080, TestContext.Current.CancellationToken);
        Assert.Equal(close.Steps, _sink.Steps.Skip(before));
        Assert.Contains("wait:Wait.Unmap", _sink.Names);
    }

    [Fact]
    public async Task Keep_sends_its_lines_to_the_sink_as_notes()
    {
        var context = Context();
        using var stop = new CancellationTokenSource();
        var keeper = new KeepWorkflow(context, _ => stop.CancelAfter(TimeSpan.FromMilliseconds(50)));
        var report = await keeper.RunAsync(Options(noCheck: true), stop.Token);

        Assert.Equal(ExitCodes.Success, report.ExitCode);
        Assert.Contains("note:Keep.Started", _sink.Names);
        Assert.Contains("note:Keep.Removed", _sink.Names);
    }

    private static OpenOptions Options(bool noCheck = false, params TransportProtocol[] protocols) => new()
    {
        Port = 8080,
        Protocols = protocols.Length == 0 ? [TransportProtocol.Tcp] : protocols,
        NoCheck = noCheck,
    };
}
