using System.Net;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Reachability;
using PortDoctor.Core.Reports;
using PortDoctor.Core.Tests.Fakes;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Tests.Workflows;

public sealed class OpenWorkflowTests : IDisposable
{
    private static readonly GatewayInfo Home = new(IPAddress.Parse("192.168.77.1"), IPAddress.Parse("192.168.77.10"), 24, "eth0");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pd-open-" + Guid.NewGuid().ToString("N"));
    private readonly FakeMapper _mapper = new();

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    private WorkflowContext Context(IGatewayProbe? probe = null, ICheckerClient? checker = null, bool listening = true, bool network = true) => new()
    {
        FindGateways = _ => network ? [Home] : [],
        PortOwners = new FakeOwners(listening),
        GatewayProbe = probe ?? new FakeProbe(_mapper),
        MapperFactory = new FakeFactory(_mapper),
        Journal = new ChangeJournal(_dir),
        HostResolver = new FakeHostResolver(),
        TcpConnector = new FakeTcpConnector(),
        Checker = checker,
    };

    private static OpenOptions Options(int port = 8080, bool noCheck = false, params TransportProtocol[] protocols) => new()
    {
        Port = port,
        Protocols = protocols.Length == 0 ? [TransportProtocol.Tcp] : protocols,
        NoCheck = noCheck,
    };

    [Fact]
    public async Task Maps_checks_and_reports_reachable_with_exit_0()
    {
        var checker = new FakeChecker(ReachabilityState.Open);
        var context = Context(checker: checker);
        var report = await new OpenWorkflow(context).RunAsync(Options(), TestContext.Current.CancellationToken);

        Assert.Equal(Verdict.Reachable, report.Verdict);
        Assert.Equal(ExitCodes.Success, report.ExitCode);
        var request = Assert.Single(_mapper.Maps);
        Assert.Equal(IPAddress.Parse("192.168.77.10"), request.InternalClient);
        Assert.Equal(OpenOptions.DefaultLease, request.Lease);
        Assert.Equal(["port", "network", "listener.tcp", "gateway", "mapping.tcp", "check.tcp"], report.Steps.Select(s => s.Id));
        Assert.Equal(StepStatus.Done, report.Steps.Single(s => s.Id == "mapping.tcp").Status);
        var held = Assert.Single(context.Journal.Outstanding());
        Assert.Equal(JournalOp.Done, held.Op);
        Assert.Equal("http://192.168.77.1:5000/ctl/IPConn", held.Change.ControlUrl);
    }

    [Fact]
    public async Task Without_a_checker_the_port_is_mapped_but_unconfirmed_exit_1_with_the_hint()
    {
        var report = await new OpenWorkflow(Context()).RunAsync(Options(), TestContext.Current.CancellationToken);
        Assert.Equal(Verdict.Unconfirmed, report.Verdict);
        Assert.Equal(ExitCodes.NotReachable, report.ExitCode);
        Assert.Contains("--checker", report.Steps.Single(s => s.Id == "check").Message.ToString(), StringComparison.Ordinal);
        Assert.Single(_mapper.Maps);
    }

    [Fact]
    public async Task No_check_exits_0_once_mapped()
    {
        var report = await new OpenWorkflow(Context()).RunAsync(Options(noCheck: true), TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Success, report.ExitCode);
        Assert.Equal(StepStatus.Skipped, report.Steps[^1].Status);
    }

    [Fact]
    public async Task No_router_and_no_check_never_says_the_port_is_mapped()
    {
        var options = Options(noCheck: true) with { NoRouter = true };

        var report = await new OpenWorkflow(Context()).RunAsync(options, TestContext.Current.CancellationToken);

        Assert.Equal(("Open.Summary.RouterSkippedUnchecked", ExitCodes.Success), (report.Summary.Key, report.ExitCode));
        Assert.Empty(_mapper.Maps);
    }

    [Fact]
    public async Task No_gateway_answering_gives_manual_values_exit_1_and_changes_nothing()
    {
        var context = Context(probe: new FakeProbe());
        var report = await new OpenWorkflow(context).RunAsync(Options(), TestContext.Current.CancellationToken);
        Assert.Equal(Verdict.NoGateway, report.Verdict);
        Assert.Equal(ExitCodes.NotReachable, report.ExitCode);
        var step = report.Steps.Single(s => s.Id == "gateway");
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Contains("No UPnP/NAT-PMP/PCP gateway answered", step.Message.ToString(), StringComparison.Ordinal);
        Assert.Contains("192.168.77.10", step.Message.ToString(), StringComparison.Ordinal);
        Assert.Contains("external port 8080", step.Message.ToString(), StringComparison.Ordinal);
        Assert.Empty(context.Journal.ReadAll());
    }

    [Fact]
    public async Task No_network_is_an_environment_problem_exit_3()
    {
        var report = await new OpenWorkflow(Context(network: false)).RunAsync(Options(), TestContext.Current.CancellationToken);
        Assert.Equal(Verdict.NoNetwork, report.Verdict);
        Assert.Equal(ExitCodes.Environment, report.ExitCode);
    }

    [Fact]
    public async Task A_refused_mapping_is_journaled_as_failed_and_not_held()
    {
        _mapper.OnMap = _ => MappingOutcome.Fail(new UpnpFaultFailure(MappingOperation.Map, 606, PortDoctor.Protocol.Upnp.UpnpErrorCode.ActionNotAuthorized));
        var context = Context(checker: new FakeChecker(ReachabilityState.Open));
        var report = await new OpenWorkflow(context).RunAsync(Options(), TestContext.Current.CancellationToken);
        Assert.Equal(Verdict.MappingFailed, report.Verdict);
        Assert.Equal(ExitCodes.NotReachable, report.ExitCode);
        Assert.Contains("does not let this PC add mappings", report.Steps.Single(s => s.Id == "mapping.tcp").Message.ToString(), StringComparison.Ordinal);
        Assert.Empty(context.Journal.Outstanding());
        Assert.Contains(context.Journal.ReadAll(), e => e.Op == JournalOp.Failed);
    }

    [Fact]
    public async Task Both_protocols_map_twice_and_close_removes_both()
    {
        var context = Context(checker: new FakeChecker(ReachabilityState.Open));
        var report = await new OpenWorkflow(context).RunAsync(Options(9000, false, TransportProtocol.Tcp, TransportProtocol.Udp), TestContext.Current.CancellationToken);
        Assert.Equal(2, _mapper.Maps.Count);
        Assert.Equal(2, context.Journal.Outstanding().Count);

        var close = await new CloseWorkflow(context).RunAsync(9000, TestContext.Current.CancellationToken);
        Assert.Equal(Verdict.Reverted, close.Verdict);
        Assert.Equal(ExitCodes.Success, close.ExitCode);
        Assert.Equal(2, _mapper.Unmaps.Count);
        Assert.Equal(TransportProtocol.Udp, _mapper.Unmaps[0].Protocol);
        Assert.Empty(context.Journal.Outstanding());
    }

    [Fact]
    public async Task Close_touches_only_the_named_port_and_undo_the_rest()
    {
        var context = Context();
        await new OpenWorkflow(context).RunAsync(Options(8080, true), TestContext.Current.CancellationToken);
        await new OpenWorkflow(context).RunAsync(Options(9090, true), TestContext.Current.CancellationToken);

        await new CloseWorkflow(context).RunAsync(8080, TestContext.Current.CancellationToken);
        Assert.Equal(8080, Assert.Single(_mapper.Unmaps).ExternalPort);
        Assert.Equal(9090, Assert.Single(context.Journal.Outstanding()).Change.ExternalPort);

        var undo = await new CloseWorkflow(context).RunAsync(null, TestContext.Current.CancellationToken);
        Assert.Equal("undo", undo.Command);
        Assert.Equal(2, _mapper.Unmaps.Count);
        Assert.Empty(context.Journal.Outstanding());

        var again = await new CloseWorkflow(context).RunAsync(8080, TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Success, again.ExitCode);
        Assert.Contains("Nothing to close", again.Summary.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_while_mapping_leaves_a_pending_intent_that_close_reverts()
    {
        _mapper.BlockMap = new TaskCompletionSource();
        var context = Context();
        using var cts = new CancellationTokenSource();
        var run = new OpenWorkflow(context).RunAsync(Options(noCheck: true), cts.Token);
        while (_mapper.Maps.Count == 0)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var pending = Assert.Single(context.Journal.Outstanding());
        Assert.Equal(JournalOp.Intent, pending.Op);

        var close = await new CloseWorkflow(context).RunAsync(8080, TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Success, close.ExitCode);
        Assert.Single(_mapper.Unmaps);
        Assert.Empty(context.Journal.Outstanding());
    }

    [Theory]
    [InlineData("192.168.225.100", "double-nat")]
    [InlineData("100.64.250.247", "cgnat")]
    public async Task A_private_or_shared_external_address_is_flagged(string external, string finding)
    {
        _mapper.External = IPAddress.Parse(external);
        var report = await new OpenWorkflow(Context()).RunAsync(Options(noCheck: true), TestContext.Current.CancellationToken);
        var step = report.Steps.Single(s => s.Id == "externalAddress");
        Assert.Equal(finding, step.Evidence!["finding"]);
    }

    [Fact]
    public async Task Nothing_listening_is_a_warning_that_says_to_start_the_program()
    {
        var report = await new OpenWorkflow(Context(listening: false)).RunAsync(Options(noCheck: true), TestContext.Current.CancellationToken);
        var step = report.Steps.Single(s => s.Id == "listener.tcp");
        Assert.Equal(StepStatus.Warning, step.Status);
        Assert.Contains("Start the program", step.Message.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A NAT-PMP/PCP-like mapper that refuses every request as a router would.</summary>
    private sealed class RefusingMapper(MappingMethod method, MappingFailure failure) : TestMapperBase
    {
        public override MappingMethod Method => method;

        public override Task<MappingOutcome> MapAsync(MappingRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(MappingOutcome.Fail(failure));

        public override Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken) => Task.FromResult(MappingOutcome.Success(record));
    }

    [Fact]
    public async Task A_fallback_tells_what_was_tried_first_in_each_language_and_journals_it_as_failed()
    {
        var pcp = new RefusingMapper(MappingMethod.Pcp, new PcpRefusedFailure(PortDoctor.Protocol.Pcp.PcpResultCode.NoResources, MappingOperation.Map));
        _mapper.OnMap = r => MappingOutcome.Success(new MappingRecord
        {
            Method = MappingMethod.Upnp,
            Gateway = Home.Gateway,
            Protocol = r.Protocol,
            ExternalPort = r.ExternalPort,
            InternalClient = r.InternalClient,
            InternalPort = r.InternalPort,
            Lease = TimeSpan.Zero,
            ControlUrl = new Uri("http://192.168.77.1:5000/ctl/IPConn"),
            ServiceType = "urn:schemas-upnp-org:service:WANIPConnection:1",
        }, new MadePermanentNote());
        var context = Context(probe: new FakeProbe(pcp, _mapper));

        var report = await new OpenWorkflow(context).RunAsync(Options(noCheck: true), TestContext.Current.CancellationToken);

        var step = report.Steps.Single(s => s.Id == "mapping.tcp");
        Assert.Equal(StepStatus.Done, step.Status);
        Assert.Equal("pcp,upnp", step.Evidence!["attempts"]);
        Assert.Equal("upnp", step.Evidence["method"]);
        Assert.Equal(
            "Router forwards 8080/tcp to 192.168.77.10:8080 (lease permanent, UPnP IGD). Tried first: PCP: the router refused the PCP mapping request " +
            "(code 8: the router will not hold more mappings; remove unused ones). Used UPnP IGD instead. Note: the router made the mapping permanent (lease 0); it stays until it is closed.",
            PortDoctor.Core.Localization.Localizer.Format(step.Message, PortDoctor.Core.Localization.UiLanguage.English));
        Assert.Equal(
            "ルーターが 8080/tcp を 192.168.77.10:8080 へ転送するようにしました（有効期間 無期限、UPnP IGD）。先に試した方式：PCP では、ルーターが PCP の転送要求を断りました" +
            "（コード 8：ルーターにこれ以上の転送を登録できません。使っていない転送を削除してください）。代わりに UPnP IGD を使いました。補足：ルーターが転送を無期限（有効期間 0）にしました。この転送は閉じるまで残ります。",
            PortDoctor.Core.Localization.Localizer.Format(step.Message, PortDoctor.Core.Localization.UiLanguage.Japanese));
        var failed = Assert.Single(context.Journal.ReadAll(), e => e.Op == JournalOp.Failed);
        Assert.Equal("pcp", failed.Change.Method);
        Assert.Equal("RouterError: pcp-result 8", failed.Error);
        Assert.Equal("upnp", Assert.Single(context.Journal.Outstanding()).Change.Method);
    }

    /// <summary>
    /// The fast probe stops at PCP; when PCP refuses (behind a second NAT it answers NO_RESOURCES) or declines (a port
    /// below 1024), UPnP IGD, found by asking every protocol, is tried before the mapping is called failed.
    /// </summary>
    [Theory]
    [InlineData(8080, "refused")]
    [InlineData(80, "declined")]
    public async Task When_the_protocols_found_first_fail_every_protocol_is_asked_and_upnp_tried(int port, string how)
    {
        TestMapperBase pcp = how == "refused"
            ? new RefusingMapper(MappingMethod.Pcp, new PcpRefusedFailure(PortDoctor.Protocol.Pcp.PcpResultCode.NoResources, MappingOperation.Map))
            : new DecliningMapper(MappingMethod.Pcp);
        var probe = new FakeProbe(pcp) { Everything = [pcp, _mapper] };
        var context = Context(probe: probe);

        var report = await new OpenWorkflow(context).RunAsync(Options(port: port, noCheck: true, TransportProtocol.Tcp, TransportProtocol.Udp), TestContext.Current.CancellationToken);

        Assert.All(report.Steps.Where(s => s.Id.StartsWith("mapping.", StringComparison.Ordinal)), s =>
        {
            Assert.Equal(StepStatus.Done, s.Status);
            Assert.Equal("pcp,upnp", s.Evidence!["attempts"]);
            Assert.Equal("upnp", s.Evidence["method"]);
        });
        Assert.Equal(1, probe.FullCalls); // asked once for both protocols
        Assert.Equal(2, _mapper.Maps.Count);
        Assert.Equal(2, context.Journal.Outstanding().Count(e => e.Change.Method == "upnp"));
    }

    [Fact]
    public async Task A_mapping_that_works_at_once_never_waits_for_the_full_probe()
    {
        var probe = new FakeProbe(_mapper);

        await new OpenWorkflow(Context(probe: probe)).RunAsync(Options(noCheck: true), TestContext.Current.CancellationToken);

        Assert.Equal(0, probe.FullCalls);
    }

    private sealed class DecliningMapper(MappingMethod method) : TestMapperBase
    {
        public override MappingMethod Method => method;

        public override MappingFailure? Declines(MappingRequest request) =>
            request.ExternalPort < 1024 ? new LowPortFailure(method, 1024) : null;

        public override Task<MappingOutcome> MapAsync(MappingRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a declined request must not be sent");

        public override Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken) => Task.FromResult(MappingOutcome.Success(record));
    }

    /// <summary>
    /// The router grants another external port (8080 is taken): the check tests the granted port, not the asked one
    /// (which is someone else's mapping), the summary says which port people must use, and close 8080 removes it.
    /// </summary>
    [Fact]
    public async Task A_granted_other_external_port_is_checked_named_and_closed()
    {
        _mapper.OnMap = r => MappingOutcome.Success(new MappingRecord
        {
            Method = MappingMethod.Upnp,
            Gateway = Home.Gateway,
            Protocol = r.Protocol,
            ExternalPort = 8081,
            InternalClient = r.InternalClient,
            InternalPort = r.InternalPort,
            Lease = r.Lease,
            ControlUrl = new Uri("http://192.168.77.1:5000/ctl/IPConn"),
            ServiceType = "urn:schemas-upnp-org:service:WANIPConnection:2",
        }, new ExternalPortChangedNote(8081, 8080));
        var checker = new FakeChecker(ReachabilityState.Open);
        var context = Context(checker: checker);

        var report = await new OpenWorkflow(context).RunAsync(Options(), TestContext.Current.CancellationToken);

        Assert.Equal(Verdict.Reachable, report.Verdict);
        Assert.Equal([8081], checker.CheckedPorts);
        Assert.Equal("Check.Summary.WithMovedPort", report.Summary.Key);
        string en = PortDoctor.Core.Localization.Localizer.Format(report.Summary, PortDoctor.Core.Localization.UiLanguage.English);
        Assert.Contains("11.0.0.2:8081", en, StringComparison.Ordinal);
        Assert.Contains("People must connect to port 8081, not 8080", en, StringComparison.Ordinal);

        var close = await new CloseWorkflow(context).RunAsync(8080, TestContext.Current.CancellationToken);

        Assert.Equal(Verdict.Reverted, close.Verdict);
        Assert.Equal(8081, Assert.Single(_mapper.Unmaps).ExternalPort);
        Assert.Empty(context.Journal.Outstanding());
    }

    [Fact]
    public async Task A_pc_with_a_global_address_maps_nothing_and_still_checks_from_outside()
    {
        var probe = new FakeProbe(_mapper);
        var checker = new FakeChecker(ReachabilityState.Open);
        var context = Context(probe: probe, checker: checker);
        var publicHost = new WorkflowContext
        {
            FindGateways = _ => [new GatewayInfo(IPAddress.Parse("11.0.0.1"), IPAddress.Parse("11.0.0.10"), 24, "eth0")],
            PortOwners = context.PortOwners,
            GatewayProbe = probe,
            MapperFactory = context.MapperFactory,
            Journal = context.Journal,
            Checker = checker,
        };

        var report = await new OpenWorkflow(publicHost).RunAsync(Options(), TestContext.Current.CancellationToken);

        Assert.Equal((Verdict.Reachable, ExitCodes.Success), (report.Verdict, report.ExitCode));
        Assert.Equal("Open.PublicHost", report.Steps.Single(s => s.Id == "gateway").Message.Key);
        Assert.Equal((0, 0), (probe.Calls, probe.FullCalls));
        Assert.Empty(_mapper.Maps);
        Assert.Equal(1, checker.Checks);
    }

    [Theory]
    [InlineData(80, "Mapping.Failed.LowPortRefused")]
    [InlineData(8080, "Mapping.Failed.NotAuthorized")]
    public async Task A_606_for_a_port_below_1024_names_the_port_rule_not_the_setting(int port, string key)
    {
        var upnp = new RefusingMapper(MappingMethod.Upnp, new UpnpFaultFailure(MappingOperation.Map, 606, PortDoctor.Protocol.Upnp.UpnpErrorCode.ActionNotAuthorized));

        var report = await new OpenWorkflow(Context(probe: new FakeProbe(upnp))).RunAsync(Options(port: port, noCheck: true), TestContext.Current.CancellationToken);

        var step = report.Steps.Single(s => s.Id == "mapping.tcp");
        Assert.Equal((StepStatus.Failed, key), (step.Status, step.Message.Key));
        string ja = PortDoctor.Core.Localization.Localizer.Format(step.Message, PortDoctor.Core.Localization.UiLanguage.Japanese);
        Assert.DoesNotContain("{", ja, StringComparison.Ordinal);
    }

    /// <summary>Behind a second NAT the router's refusal is a symptom: the summary names double NAT or CGNAT and the fix.</summary>
    [Theory]
    [InlineData("192.168.1.20", "Open.Summary.MappingFailedDoubleNat")]
    [InlineData("100.64.3.2", "Open.Summary.MappingFailedCgnat")]
    [InlineData("11.0.0.2", "Open.Summary.MappingFailed")]
    public async Task A_failed_mapping_behind_a_second_nat_names_it_in_the_summary(string external, string key)
    {
        var pcp = new RefusingMapper(MappingMethod.Pcp, new PcpRefusedFailure(PortDoctor.Protocol.Pcp.PcpResultCode.NoResources, MappingOperation.Map));
        var withAddress = new FakeProbe(pcp) { External = IPAddress.Parse(external) };

        var report = await new OpenWorkflow(Context(probe: withAddress)).RunAsync(Options(noCheck: true), TestContext.Current.CancellationToken);

        Assert.Equal((Verdict.MappingFailed, key), (report.Verdict, report.Summary.Key));
        foreach (var language in new[] { PortDoctor.Core.Localization.UiLanguage.English, PortDoctor.Core.Localization.UiLanguage.Japanese })
        {
            Assert.DoesNotContain("{", PortDoctor.Core.Localization.Localizer.Format(report.Summary, language), StringComparison.Ordinal);
        }
    }
}
