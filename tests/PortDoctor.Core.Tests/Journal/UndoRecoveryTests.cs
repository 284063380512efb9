using System.Net;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Reports;
using PortDoctor.Core.Tests.Fakes;
using PortDoctor.Core.Tests.Upnp;
using PortDoctor.Core.Tests.Workflows;
using PortDoctor.Core.Upnp;
using PortDoctor.Core.Workflows;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Tests.Journal;

/// <summary>
/// The journal as a safety net over a real UPnP client and a fake IGD: finite default lease, a permanent
/// mapping the router forced is journaled as such and undone, and a pending intent is undone whether or not
/// the router made the mapping before PortDoctor died.
/// </summary>
public sealed class UndoRecoveryTests : IAsyncDisposable
{
    private static readonly GatewayInfo Home = new(IPAddress.Parse("192.168.1.1"), IPAddress.Parse("192.168.1.10"), 24, "eth0");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pd-undo-" + Guid.NewGuid().ToString("N"));
    private readonly FakeIgdServer _igd = new();
    private readonly HttpClient _http = new(UpnpHttp.CreateHandler());

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _igd.DisposeAsync();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private UpnpPortMapper Mapper() =>
        new(new UpnpIgdClient(_http, _igd.ControlUrl, _igd.ServiceType), Home.Gateway, "Fake Router", isIgd2: false, new Uri("http://192.168.1.1:5000/rootDesc.xml"));

    private WorkflowContext Context(bool network = true) => new()
    {
        FindGateways = _ => network ? [Home] : [],
        PortOwners = new FakeOwners(listening: true),
        GatewayProbe = new FakeProbe(Mapper()),
        MapperFactory = new MapperFactory(_http, PortDoctor.Core.Net.UdpTransport.Create), // as the CLI wires it
        Journal = new ChangeJournal(_dir),
        HostResolver = new FakeHostResolver(),
        TcpConnector = new FakeTcpConnector(),
    };

    private static OpenOptions Options(int port) => new() { Port = port, Protocols = [TransportProtocol.Tcp], NoCheck = true };

    [Fact]
    public void The_default_lease_is_finite_so_a_lost_journal_never_leaves_a_permanent_hole()
    {
        Assert.True(OpenOptions.DefaultLease > TimeSpan.Zero);
        Assert.True(OpenOptions.DefaultLease <= TimeSpan.FromSeconds(UpnpPortMapper.MaxFiniteLeaseSeconds));
        Assert.Equal(OpenOptions.DefaultLease, Options(8080).Lease);
    }

    [Fact]
    public async Task A_router_that_forces_a_permanent_mapping_725_is_journaled_with_lease_0_shown_held_and_undone()
    {
        _igd.ScriptFault(UpnpActions.AddPortMapping, 725);
        var context = Context();

        var open = await new OpenWorkflow(context).RunAsync(Options(8080), Ct);

        Assert.Equal(ExitCodes.Success, open.ExitCode);
        long requested = (long)OpenOptions.DefaultLease.TotalSeconds;
        Assert.Equal([requested.ToString(System.Globalization.CultureInfo.InvariantCulture), "0"], _igd.Of(UpnpActions.AddPortMapping).Select(r => r.Arguments["NewLeaseDuration"]));
        var lines = context.Journal.ReadAll();
        Assert.Equal([JournalOp.Intent, JournalOp.Done], lines.Select(l => l.Op));
        Assert.Equal(requested, lines[0].Change.LeaseSeconds);
        Assert.Equal(0, lines[1].Change.LeaseSeconds);

        // status: held, lease 0 (the CLI prints 0 as "permanent").
        var status = await new StatusWorkflow(Context(network: false)).RunAsync(null, Ct);
        var held = Assert.Single(status.Held);
        Assert.Equal(("held", 8080, 0L), (held.State, held.ExternalPort, held.LeaseSeconds));

        var undo = await new CloseWorkflow(context).RunAsync(null, Ct);

        Assert.Equal(ExitCodes.Success, undo.ExitCode);
        Assert.Empty(_igd.Table);
        Assert.Equal(1, _igd.Count(UpnpActions.DeletePortMapping));
        Assert.Empty(context.Journal.Outstanding());
    }

    [Fact]
    public async Task A_pending_intent_whose_mapping_the_router_made_before_the_crash_is_removed_by_undo()
    {
        var context = Context();
        var request = new MappingRequest(TransportProtocol.Udp, 9000, Home.LocalAddress, 9000, TimeSpan.FromHours(1), "PortDoctor");
        // What a crash after sending leaves: the durable intent, and the mapping on the router with no outcome line.
        context.Journal.WriteIntent(JournalMapping.FromRecord(Mapper().Prepare(request).Intent));
        Assert.True((await Mapper().MapAsync(request, Ct)).Succeeded);
        Assert.Single(_igd.Table);
        Assert.Equal(JournalOp.Intent, Assert.Single(context.Journal.Outstanding()).Op);

        var undo = await new CloseWorkflow(context).RunAsync(null, Ct);

        Assert.Equal(ExitCodes.Success, undo.ExitCode);
        Assert.Empty(_igd.Table);
        Assert.Empty(context.Journal.Outstanding());
    }

    [Fact]
    public async Task A_pending_intent_whose_request_never_reached_the_router_is_closed_by_undo_without_deleting_anything()
    {
        var context = Context();
        var request = new MappingRequest(TransportProtocol.Tcp, 9001, Home.LocalAddress, 9001, TimeSpan.FromHours(1), "PortDoctor");
        context.Journal.WriteIntent(JournalMapping.FromRecord(Mapper().Prepare(request).Intent));

        var undo = await new CloseWorkflow(context).RunAsync(null, Ct);

        Assert.Equal(ExitCodes.Success, undo.ExitCode);
        Assert.Equal(0, _igd.Count(UpnpActions.DeletePortMapping));
        Assert.Empty(context.Journal.Outstanding());
        var again = await new CloseWorkflow(context).RunAsync(null, Ct);
        Assert.Equal(ExitCodes.Success, again.ExitCode);
        // The second undo found nothing outstanding: the router was asked once in all (the 714 that closed the intent).
        Assert.Equal(1, _igd.Count(UpnpActions.GetSpecificPortMappingEntry));
    }

    [Fact]
    public async Task Undo_leaves_a_mapping_another_host_now_holds_on_the_same_port_alone()
    {
        var context = Context();
        var request = new MappingRequest(TransportProtocol.Tcp, 9002, Home.LocalAddress, 9002, TimeSpan.FromHours(1), "PortDoctor");
        context.Journal.WriteIntent(JournalMapping.FromRecord(Mapper().Prepare(request).Intent));
        _igd.Table["TCP/9002"] = new PortMappingEntry("", 9002, "TCP", 9002, "192.168.1.77", true, "game console", 0);

        var undo = await new CloseWorkflow(context).RunAsync(null, Ct);

        Assert.Equal(ExitCodes.Success, undo.ExitCode);
        Assert.Equal("192.168.1.77", Assert.Single(_igd.Table).Value.InternalClient);
        Assert.Equal(0, _igd.Count(UpnpActions.DeletePortMapping));
    }
}
