using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Reports;
using PortDoctor.Core.Tests.Fakes;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Tests.Workflows;

public sealed class KeepWorkflowTests : IDisposable
{
    private static readonly GatewayInfo Home = new(IPAddress.Parse("192.168.77.1"), IPAddress.Parse("192.168.77.10"), 24, "eth0");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pd-keep-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new();
    private readonly ConcurrentQueue<Text> _lines = new();

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    /// <summary>A UPnP router with a mapping table that can "reboot" (forget everything).</summary>
    private sealed class TableMapper : TestMapperBase
    {
        public ConcurrentDictionary<int, MappingRecord> Table { get; } = new();

        public int Maps;
        public int Unmaps;

        public override Text GatewayDescription => Text.Of("Common.Verbatim", "Acme R9");

        public override Task<IPAddress?> GetExternalAddressAsync(CancellationToken cancellationToken) => Task.FromResult<IPAddress?>(IPAddress.Parse("11.0.0.2"));

        public override Task<MappingOutcome> MapAsync(MappingRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Maps);
            var record = new MappingRecord
            {
                Method = Method,
                Gateway = Home.Gateway,
                Protocol = request.Protocol,
                ExternalPort = request.ExternalPort,
                InternalClient = request.InternalClient,
                InternalPort = request.InternalPort,
                Lease = request.Lease,
                ControlUrl = new Uri("http://192.168.77.1:5000/ctl/IPConn"),
                ServiceType = "urn:schemas-upnp-org:service:WANIPConnection:2",
            };
            Table[request.ExternalPort] = record;
            return Task.FromResult(MappingOutcome.Success(record));
        }

        public override Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Unmaps);
            Table.TryRemove(record.ExternalPort, out _);
            return Task.FromResult(MappingOutcome.Success(record));
        }

        public override Task<MappingRecord?> FindMappingAsync(TransportProtocol protocol, int externalPort, CancellationToken cancellationToken) =>
            Task.FromResult(Table.TryGetValue(externalPort, out var r) ? r : null);
    }

    private sealed class Factory(IPortMapper mapper) : IMapperFactory
    {
        public IPortMapper? ForRecord(MappingRecord record) => mapper;
    }

    private WorkflowContext Context(TableMapper mapper) => new()
    {
        FindGateways = _ => [Home],
        PortOwners = new FakeOwners(true),
        GatewayProbe = new FakeProbe(mapper),
        MapperFactory = new Factory(mapper),
        Journal = new ChangeJournal(_dir),
        HostResolver = new FakeHostResolver(),
        TcpConnector = new FakeTcpConnector(),
        Time = _time,
    };

    private async Task AdvanceUntil(Func<bool> condition, TimeSpan limit)
    {
        var deadline = _time.GetUtcNow() + limit;
        for (int i = 0; !condition(); i++)
        {
            Assert.True(_time.GetUtcNow() < deadline, $"not reached within {limit} of fake time; lines: {string.Join(" | ", _lines)}");
            await Task.Delay(2, TestContext.Current.CancellationToken);
            if (i % 2 == 1)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
            }
        }
    }

    private static async Task WaitReal(Func<bool> condition)
    {
        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < limit, "not reached within 10 s");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    private bool Saw(string key) => _lines.Any(l => l.Key == key);

    [Fact]
    public async Task Renews_at_half_the_lease_recreates_after_a_router_restart_and_removes_on_cancel()
    {
        var mapper = new TableMapper();
        var context = Context(mapper);
        var options = new OpenOptions { Port = 8080, Protocols = [TransportProtocol.Tcp], NoCheck = true, Lease = TimeSpan.FromMinutes(10) };
        CommandReport? opened = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = new KeepWorkflow(context, _lines.Enqueue, r => opened = r).RunAsync(options, stop.Token);

        await AdvanceUntil(() => Saw("Keep.Started"), TimeSpan.FromSeconds(1));
        Assert.Equal(ExitCodes.Success, opened!.ExitCode);
        Assert.Equal(1, mapper.Maps);

        // Nothing happens before half the lease...
        var started = _time.GetUtcNow();
        await AdvanceUntil(() => mapper.Maps == 2, TimeSpan.FromMinutes(6));
        var renewedAfter = _time.GetUtcNow() - started;
        Assert.InRange(renewedAfter, TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5) + KeepWorkflow.CheckInterval);
        Assert.True(Saw("Keep.Renewed"));

        // The router restarts and forgets the mapping: the next check notices and re-creates it, journaled.
        mapper.Table.Clear();
        var lostAt = _time.GetUtcNow();
        await AdvanceUntil(() => Saw("Keep.Recreated"), KeepWorkflow.CheckInterval + TimeSpan.FromSeconds(5));
        Assert.True(Saw("Keep.Lost"));
        Assert.True(_time.GetUtcNow() - lostAt <= KeepWorkflow.CheckInterval + TimeSpan.FromSeconds(2));
        Assert.True(mapper.Table.ContainsKey(8080));
        Assert.Single(context.Journal.Outstanding(), e => e.Change.ExternalPort == 8080 && e.Op == JournalOp.Done);

        await stop.CancelAsync();
        var report = await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Success, report.ExitCode);
        Assert.Equal(Verdict.Reverted, report.Verdict);
        Assert.Equal(1, mapper.Unmaps);
        Assert.Empty(mapper.Table);
        Assert.Empty(context.Journal.Outstanding());
        Assert.True(Saw("Keep.Removed"));
        var keep = report.Steps.Single(s => s.Id == "keep");
        Assert.Equal("1", keep.Evidence!["renewals"]);
        Assert.Equal("1", keep.Evidence["recreations"]);
    }

    [Fact]
    public async Task A_permanent_mapping_is_never_renewed_only_checked()
    {
        var mapper = new TableMapper();
        var options = new OpenOptions { Port = 8080, Protocols = [TransportProtocol.Tcp], NoCheck = true, Lease = TimeSpan.Zero };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = new KeepWorkflow(Context(mapper), _lines.Enqueue).RunAsync(options, stop.Token);

        await AdvanceUntil(() => Saw("Keep.Started"), TimeSpan.FromSeconds(1));
        var until = _time.GetUtcNow() + TimeSpan.FromMinutes(30);
        await AdvanceUntil(() => _time.GetUtcNow() >= until, TimeSpan.FromMinutes(31));

        Assert.Equal(1, mapper.Maps);
        Assert.False(Saw("Keep.Renewed"));
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, (await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).ExitCode);
    }

    [Fact]
    public async Task When_open_maps_nothing_its_report_is_returned_and_nothing_is_kept()
    {
        var options = new OpenOptions { Port = 8080, Protocols = [TransportProtocol.Tcp], NoCheck = true };
        var context = new WorkflowContext
        {
            FindGateways = _ => [Home],
            PortOwners = new FakeOwners(true),
            GatewayProbe = new FakeProbe(),
            MapperFactory = new Factory(new TableMapper()),
            Journal = new ChangeJournal(_dir),
            HostResolver = new FakeHostResolver(),
            TcpConnector = new FakeTcpConnector(),
            Time = _time,
        };

        var report = await new KeepWorkflow(context, _lines.Enqueue).RunAsync(options, TestContext.Current.CancellationToken);

        Assert.Equal(Verdict.NoGateway, report.Verdict);
        Assert.Empty(_lines);
    }

    [Fact]
    public async Task Keeps_a_pcp_mapping_blind_and_recreates_it_with_its_journaled_nonce_after_a_reboot()
    {
        await using var gateway = new PortDoctor.Core.Tests.Fakes.FakePmpGateway();
        var pmpOptions = PortDoctor.Core.Tests.NatPmp.PmpTestSupport.Options(gateway);
        var pcp = new PortDoctor.Core.Pcp.PcpPortMapper(new PortDoctor.Core.Pcp.PcpClient(IPAddress.Loopback, IPAddress.Loopback, UdpTransport.Create, pmpOptions));
        using var http = new HttpClient();
        var context = new WorkflowContext
        {
            FindGateways = _ => [PortDoctor.Core.Tests.NatPmp.PmpTestSupport.Gateway],
            PortOwners = new FakeOwners(true),
            GatewayProbe = new FakeProbe(pcp),
            MapperFactory = new MapperFactory(http, UdpTransport.Create, pmpOptions), // keep rebuilds its mapper from the journal
            Journal = new ChangeJournal(_dir),
            Time = _time,
        };
        var options = new OpenOptions { Port = 28174, Protocols = [TransportProtocol.Tcp], NoCheck = true, Lease = TimeSpan.FromMinutes(10) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = new KeepWorkflow(context, _lines.Enqueue).RunAsync(options, stop.Token);
        await WaitReal(() => Saw("Keep.Started"));
        byte[] nonce = Assert.Single(gateway.Mappings).Nonce!;
        string journaled = Assert.Single(context.Journal.Outstanding()).Change.PcpNonce!;
        Assert.Equal(journaled, Convert.ToHexStringLower(nonce));

        // The first ANNOUNCE sets the epoch baseline; a reboot before its answer would look like the normal epoch.
        await WaitReal(() => gateway.Requests.Any(r => r.Data is [2, 0, ..]));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        gateway.Reboot();

        // Real UDP round trips take real time while the fake clock runs fast: a generous fake limit, still before renewal.
        await AdvanceUntil(() => Saw("Keep.Recreated"), TimeSpan.FromMinutes(2));

        Assert.True(Saw("Keep.Lost"));
        Assert.Equal(nonce, Assert.Single(gateway.Mappings).Nonce);
        var held = Assert.Single(context.Journal.Outstanding());
        Assert.Equal(JournalOp.Done, held.Op);
        Assert.Equal(journaled, held.Change.PcpNonce);

        await stop.CancelAsync();
        var report = await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Success, report.ExitCode);
        Assert.Empty(gateway.Mappings);
        Assert.Empty(context.Journal.Outstanding());
    }
}
