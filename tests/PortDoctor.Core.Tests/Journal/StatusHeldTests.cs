using PortDoctor.Core.Journal;
using PortDoctor.Core.Tests.Fakes;
using PortDoctor.Core.Tests.Workflows;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Tests.Journal;

/// <summary><c>status</c> lists held changes and pending ones (intent, no outcome), never failed or reverted ones.</summary>
public sealed class StatusHeldTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pd-status-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static JournalChange Mapping(int port, string protocol, long lease) => new()
    {
        Kind = "mapping",
        Method = "upnp",
        Protocol = protocol,
        ExternalPort = port,
        InternalPort = port,
        InternalClient = "192.168.77.10",
        Gateway = "192.168.77.1",
        LeaseSeconds = lease,
        ControlUrl = "http://192.168.77.1:5000/ctl/IPConn",
        ServiceType = "urn:schemas-upnp-org:service:WANIPConnection:2",
    };

    [Fact]
    public async Task Status_shows_held_and_pending_changes_oldest_first_with_their_lease()
    {
        var journal = new ChangeJournal(_dir);
        string held = journal.WriteIntent(Mapping(8080, "tcp", 86400));
        journal.MarkDone(held, Mapping(8080, "tcp", 0));
        string failed = journal.WriteIntent(Mapping(7000, "tcp", 86400));
        journal.MarkFailed(failed, Mapping(7000, "tcp", 86400), "NotAuthorized: 606");
        string reverted = journal.WriteIntent(Mapping(6000, "udp", 86400));
        journal.MarkDone(reverted, Mapping(6000, "udp", 86400));
        journal.MarkReverted(reverted, Mapping(6000, "udp", 86400));
        string pending = journal.WriteIntent(Mapping(9000, "udp", 3600));
        var mapper = new FakeMapper();
        var context = new WorkflowContext
        {
            FindGateways = _ => [],
            PortOwners = new FakeOwners(listening: false),
            GatewayProbe = new FakeProbe(mapper),
            MapperFactory = new FakeFactory(mapper),
            Journal = journal,
            HostResolver = new FakeHostResolver(),
            TcpConnector = new FakeTcpConnector(),
        };

        var report = await new StatusWorkflow(context).RunAsync(null, TestContext.Current.CancellationToken);

        Assert.Equal(
            [(held, "held", 8080, "tcp", 0L), (pending, "pending", 9000, "udp", 3600L)],
            report.Held.Select(h => (h.Id, h.State, h.ExternalPort, h.Protocol, h.LeaseSeconds)));
        Assert.All(report.Held, h => Assert.Equal("192.168.77.10", h.InternalClient));
    }

    [Fact]
    public void Opening_the_same_port_again_is_still_one_held_line()
    {
        var journal = new ChangeJournal(_dir);
        for (int i = 0; i < 3; i++)
        {
            string id = journal.WriteIntent(Mapping(8080, "tcp", 86400));
            journal.MarkDone(id, Mapping(8080, "tcp", 86400 - i));
        }

        string again = journal.WriteIntent(Mapping(8080, "tcp", 86400)); // a fourth open died before the answer
        string udp = journal.WriteIntent(Mapping(8080, "udp", 3600));
        journal.MarkDone(udp, Mapping(8080, "udp", 3600));

        var held = HeldChanges.Read(journal);

        Assert.Equal(["8080/tcp held", "8080/udp held"], held.Select(h => $"{h.ExternalPort}/{h.Protocol} {h.State}"));
        Assert.Equal(again, held[0].Id);
    }
}
