using System.Net;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Tests.NatPmp;
using PortDoctor.Core.Tests.Workflows;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Tests.Journal;

/// <summary>The one journaled-change sequence: intent durable, before-send, send, after-send, done or failed.</summary>
public sealed class JournaledChangeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pd-journaled-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _events = [];

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private ChangeJournal Journal() => new(_dir) { CrashPointObserver = p => _events.Add(p) };

    private static JournalChange Change(int port, string? rule = null) => new()
    {
        Kind = "firewall",
        Method = "nftables",
        Protocol = "tcp",
        ExternalPort = port,
        RuleHandle = rule,
    };

    private Func<CancellationToken, Task<bool>> Send(ChangeJournal journal, bool made) => _ =>
    {
        // What is on disk when the request goes out: the intent, and nothing after it.
        _events.Add("send:" + string.Join(",", journal.ReadAll().Select(e => e.Op)));
        return Task.FromResult(made);
    };

    [Fact]
    public async Task A_change_that_was_made_passes_every_crash_point_in_order_with_the_intent_durable_before_the_send()
    {
        var journal = Journal();

        var result = await JournaledChange.RunAsync(journal, Change(8080), Send(journal, made: true),
            made => made ? ChangeSettlement.Made(Change(8080, "handle 7")) : ChangeSettlement.NotMade("Failed"), TestContext.Current.CancellationToken);

        Assert.True(result.Made);
        Assert.Equal(
            [CrashPoints.IntentTorn, CrashPoints.IntentWritten, CrashPoints.BeforeSend, "send:Intent", CrashPoints.AfterSend, CrashPoints.DoneWritten],
            _events);
        var entries = journal.ReadAll();
        Assert.Equal([JournalOp.Intent, JournalOp.Done], entries.Select(e => e.Op));
        Assert.All(entries, e => Assert.Equal(result.EntryId, e.Id));
        Assert.Equal("handle 7", entries[1].Change.RuleHandle);
        Assert.Equal(result.EntryId, Assert.Single(journal.Outstanding()).Id);
    }

    [Fact]
    public async Task A_change_that_was_not_made_is_marked_failed_with_its_machine_reason_and_is_not_held()
    {
        var journal = Journal();

        var result = await JournaledChange.RunAsync(journal, Change(8081), Send(journal, made: false),
            made => made ? ChangeSettlement.Made(Change(8081)) : ChangeSettlement.NotMade("NeedsPrivilege"), TestContext.Current.CancellationToken);

        Assert.False(result.Made);
        Assert.Equal([CrashPoints.IntentTorn, CrashPoints.IntentWritten, CrashPoints.BeforeSend, "send:Intent", CrashPoints.AfterSend], _events);
        var failed = journal.ReadAll()[^1];
        Assert.Equal(JournalOp.Failed, failed.Op);
        Assert.Equal("NeedsPrivilege", failed.Error);
        Assert.Empty(journal.Outstanding());
    }

    [Fact]
    public async Task Cancellation_during_the_send_leaves_the_intent_open_for_undo()
    {
        var journal = Journal();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var started = new TaskCompletionSource();

        var run = JournaledChange.RunAsync(journal, Change(8082), async ct =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return true;
        }, _ => ChangeSettlement.Made(Change(8082)), cts.Token);
        await started.Task;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.DoesNotContain(CrashPoints.AfterSend, _events);
        var pending = Assert.Single(journal.Outstanding());
        Assert.Equal(JournalOp.Intent, pending.Op);
        Assert.Single(journal.ReadAll());
    }

    [Fact]
    public async Task A_send_that_throws_leaves_the_intent_open_since_the_change_may_exist()
    {
        var journal = Journal();

        await Assert.ThrowsAsync<IOException>(() => JournaledChange.RunAsync<bool>(journal, Change(8083),
            _ => throw new IOException("the device went away mid-change"), _ => ChangeSettlement.Made(Change(8083)), TestContext.Current.CancellationToken));

        Assert.Equal(JournalOp.Intent, Assert.Single(journal.Outstanding()).Op);
    }

    [Fact]
    public async Task A_mapping_journals_the_mappers_own_intent_then_the_granted_record()
    {
        var journal = Journal();
        var mapper = new FakeMapper
        {
            OnMap = r => MappingOutcome.Success(new MappingRecord
            {
                Method = MappingMethod.Upnp,
                Gateway = IPAddress.Parse("192.168.77.1"),
                Protocol = r.Protocol,
                ExternalPort = r.ExternalPort,
                InternalClient = r.InternalClient,
                InternalPort = r.InternalPort,
                Lease = TimeSpan.FromSeconds(600), // the router granted less than asked
                ControlUrl = new Uri("http://192.168.77.1:5000/ctl/IPConn"),
                ServiceType = "urn:schemas-upnp-org:service:WANIPConnection:2",
            }, new ShorterLeaseNote(600, 3600)),
        };
        var request = PmpTestSupport.Request(externalPort: 8084, internalPort: 8084, leaseSeconds: 3600);

        var result = await JournalMapping.MapAsync(journal, mapper, request, null, TestContext.Current.CancellationToken);

        Assert.True(result.Made);
        var entries = journal.ReadAll();
        Assert.Equal(JournalMapping.FromRecord(Assert.Single(mapper.Prepared).Intent), entries[0].Change);
        Assert.Equal("upnp", entries[0].Change.Method);
        Assert.Equal("http://192.168.77.1:5000/ctl/IPConn", entries[0].Change.ControlUrl);
        Assert.Equal(3600, entries[0].Change.LeaseSeconds);
        Assert.Equal(600, entries[1].Change.LeaseSeconds);
    }

    [Fact]
    public async Task A_refused_mapping_is_failed_with_kind_and_code_not_prose()
    {
        var journal = Journal();
        var mapper = new FakeMapper { OnMap = _ => MappingOutcome.Fail(new PcpRefusedFailure(PortDoctor.Protocol.Pcp.PcpResultCode.NoResources, MappingOperation.Map)) };

        var result = await JournalMapping.MapAsync(journal, mapper, PmpTestSupport.Request(), null, TestContext.Current.CancellationToken);

        Assert.False(result.Made);
        Assert.Equal("RouterError: pcp-result 8", journal.ReadAll()[^1].Error);
        Assert.Empty(journal.Outstanding());
    }
}
