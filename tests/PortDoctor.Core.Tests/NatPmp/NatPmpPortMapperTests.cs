using System.Diagnostics;
using System.Net;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.NatPmp;
using PortDoctor.Core.Net;
using PortDoctor.Core.Tests.Fakes;
using PortDoctor.Protocol.NatPmp;
using static PortDoctor.Core.Tests.NatPmp.PmpTestSupport;

namespace PortDoctor.Core.Tests.NatPmp;

public class NatPmpPortMapperTests
{
    private static NatPmpPortMapper Mapper(FakePmpGateway gateway, double budgetMs = 3000) =>
        new(new NatPmpClient(Loopback, Loopback, UdpTransport.Create, Options(gateway, budgetMs)));

    [Fact]
    public async Task External_address_is_read()
    {
        await using var gateway = new FakePmpGateway();
        var mapper = Mapper(gateway);
        Assert.Equal(IPAddress.Parse("11.0.0.2"), await mapper.GetExternalAddressAsync(TestContext.Current.CancellationToken));
        Assert.Equal(MappingMethod.NatPmp, mapper.Method);
        Assert.NotNull(mapper.Client.LastEpochSeconds);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("127.0.0.1")]
    [InlineData("224.0.0.1")]
    public async Task Unusable_external_address_is_null(string address)
    {
        await using var gateway = new FakePmpGateway { ExternalAddress = IPAddress.Parse(address) };
        Assert.Null(await Mapper(gateway).GetExternalAddressAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Error_result_gives_no_external_address()
    {
        await using var gateway = new FakePmpGateway { NatPmpResult = 3 };
        Assert.Null(await Mapper(gateway).GetExternalAddressAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Map_records_what_the_router_granted()
    {
        await using var gateway = new FakePmpGateway();
        var mapper = Mapper(gateway);
        MappingOutcome outcome = await mapper.MapAsync(Request(), TestContext.Current.CancellationToken);
        Assert.True(outcome.Succeeded, outcome.MachineReason());
        MappingRecord record = outcome.Record!;
        Assert.Equal(MappingMethod.NatPmp, record.Method);
        Assert.Equal(28174, record.ExternalPort);
        Assert.Equal(22002, record.InternalPort);
        Assert.Equal(TimeSpan.FromSeconds(3600), record.Lease);
        Assert.Equal(IPAddress.Parse("11.0.0.2"), record.ExternalAddress);
        Assert.Null(record.PcpNonce);
        var mapping = Assert.Single(gateway.Mappings);
        Assert.Equal((6, (ushort)22002, (ushort)28174), (mapping.Protocol, mapping.InternalPort, mapping.ExternalPort));
    }

    [Fact]
    public async Task Another_external_port_granted_is_recorded_with_a_note()
    {
        await using var gateway = new FakePmpGateway();
        gateway.TakenExternalPorts.Add(28174);
        MappingOutcome outcome = await Mapper(gateway).MapAsync(Request(), TestContext.Current.CancellationToken);
        Assert.True(outcome.Succeeded, outcome.MachineReason());
        Assert.Equal(28175, outcome.Record!.ExternalPort);
        Assert.Contains(new ExternalPortChangedNote(28175, 28174), outcome.Notes);
    }

    [Fact]
    public async Task Shorter_lease_and_permanent_substitute_are_noted()
    {
        await using var gateway = new FakePmpGateway();
        MappingOutcome outcome = await Mapper(gateway).MapAsync(Request(leaseSeconds: 0), TestContext.Current.CancellationToken);
        Assert.True(outcome.Succeeded, outcome.MachineReason());
        Assert.Equal(TimeSpan.FromSeconds(86400), outcome.Record!.Lease); // the fake caps at one day
        Assert.Equal([new PermanentAskedAsFiniteNote(604800), new ShorterLeaseNote(86400, 604800)], outcome.Notes);
    }

    [Fact]
    public async Task Renew_then_delete()
    {
        await using var gateway = new FakePmpGateway();
        var mapper = Mapper(gateway);
        var ct = TestContext.Current.CancellationToken;
        MappingOutcome first = await mapper.MapAsync(Request(TransportProtocol.Udp), ct);
        MappingOutcome renewed = await mapper.MapAsync(Request(TransportProtocol.Udp), ct);
        Assert.True(renewed.Succeeded, renewed.MachineReason());
        Assert.Equal(first.Record!.ExternalPort, renewed.Record!.ExternalPort);
        Assert.Single(gateway.Mappings);

        MappingOutcome deleted = await mapper.UnmapAsync(renewed.Record, ct);
        Assert.True(deleted.Succeeded, deleted.MachineReason());
        Assert.Empty(gateway.Mappings);
        byte[] delete = gateway.Requests.Last().Data;
        Assert.Equal(new byte[] { 0, 1, 0, 0, 0x55, 0xF2, 0, 0, 0, 0, 0, 0 }, delete); // MAP UDP, port 22002, suggested 0, lifetime 0
    }

    [Fact]
    public async Task Not_authorized_maps_to_not_authorized()
    {
        await using var gateway = new FakePmpGateway { NatPmpResult = 2 };
        MappingOutcome outcome = await Mapper(gateway).MapAsync(Request(), TestContext.Current.CancellationToken);
        Assert.Equal(MappingFailureKind.NotAuthorized, outcome.Failure);
        Assert.Equal(new NatPmpRefusedFailure(NatPmpResultCode.NotAuthorized, MappingOperation.Map), outcome.Reason);
        Assert.Equal(2, outcome.Reason!.ProtocolCode);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(99)]
    public async Task Other_results_are_router_errors(ushort code)
    {
        await using var gateway = new FakePmpGateway { NatPmpResult = code };
        MappingOutcome outcome = await Mapper(gateway).MapAsync(Request(), TestContext.Current.CancellationToken);
        Assert.Equal(MappingFailureKind.RouterError, outcome.Failure);
        Assert.Equal(new NatPmpRefusedFailure((NatPmpResultCode)code, MappingOperation.Map), outcome.Reason);
    }

    [Fact]
    public async Task Truncated_ports_answer_is_rejected_and_not_recorded()
    {
        await using var gateway = new FakePmpGateway { TruncatePorts = true };
        MappingOutcome outcome = await Mapper(gateway).MapAsync(Request(), TestContext.Current.CancellationToken);
        Assert.Equal(MappingFailureKind.MalformedAnswer, outcome.Failure);
        Assert.Null(outcome.Record);
        Assert.Equal(new AnswerForOtherPortFailure(242, 22002), outcome.Reason);
    }

    [Fact]
    public async Task Lost_packets_are_retransmitted_on_the_rfc_schedule_within_the_budget()
    {
        await using var gateway = new FakePmpGateway { DropFirst = 2 };
        var stopwatch = Stopwatch.StartNew();
        MappingOutcome outcome = await Mapper(gateway).MapAsync(Request(), TestContext.Current.CancellationToken);
        stopwatch.Stop();
        Assert.True(outcome.Succeeded, outcome.MachineReason());
        FakePmpGateway.Received[] sent = [.. gateway.Requests];
        Assert.True(sent.Length >= 3);
        Assert.All(sent[..3], r => Assert.Equal(sent[0].Data, r.Data));
        TimeSpan gap1 = sent[1].At - sent[0].At, gap2 = sent[2].At - sent[1].At;
        Assert.InRange(gap1.TotalMilliseconds, 200, 450);   // 250 ms
        Assert.InRange(gap2.TotalMilliseconds, 450, 800);   // doubled: 500 ms
        Assert.InRange(stopwatch.Elapsed.TotalMilliseconds, 700, 2500);
    }

    [Fact]
    public async Task Silent_gateway_gives_no_answer_at_the_end_of_the_budget()
    {
        await using var gateway = new FakePmpGateway { NatPmpEnabled = false };
        var stopwatch = Stopwatch.StartNew();
        MappingOutcome outcome = await Mapper(gateway, budgetMs: 1000).MapAsync(Request(), TestContext.Current.CancellationToken);
        stopwatch.Stop();
        Assert.Equal(MappingFailureKind.NoAnswer, outcome.Failure);
        var silent = Assert.IsType<NoAnswerFailure>(outcome.Reason);
        Assert.StartsWith("127.0.0.1:", silent.Target, StringComparison.Ordinal);
        Assert.InRange(silent.ElapsedMs, 900, 2500);
        Assert.InRange(stopwatch.Elapsed.TotalMilliseconds, 950, 2500);
        Assert.Equal(3, gateway.RequestCount); // 0, 250, 750 ms; the next would be at 1750
    }

    [Fact]
    public async Task Caller_cancellation_is_rethrown()
    {
        await using var gateway = new FakePmpGateway { NatPmpEnabled = false };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(150);
        var mapper = Mapper(gateway);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => mapper.MapAsync(Request(), cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => mapper.GetExternalAddressAsync(cts.Token));
    }

    [Fact]
    public async Task Gateway_reboot_is_detected_from_the_epoch()
    {
        await using var gateway = new FakePmpGateway();
        var mapper = Mapper(gateway);
        int raised = 0;
        mapper.Client.GatewayRebooted += (_, _) => raised++;
        var ct = TestContext.Current.CancellationToken;
        Assert.True((await mapper.MapAsync(Request(), ct)).Succeeded);
        Assert.False(mapper.GatewayRebootDetected);
        gateway.Reboot();
        Assert.True((await mapper.MapAsync(Request(), ct)).Succeeded);
        Assert.True(mapper.GatewayRebootDetected);
        Assert.Equal(1, raised);
    }

    [Fact]
    public async Task Send_failure_ends_the_request_at_once_as_no_answer()
    {
        await using var gateway = new FakePmpGateway();
        var mapper = new NatPmpPortMapper(new NatPmpClient(Loopback, Loopback, _ => new UnroutableTransport(), Options(gateway)));
        var stopwatch = Stopwatch.StartNew();
        MappingOutcome outcome = await mapper.MapAsync(Request(), TestContext.Current.CancellationToken);
        Assert.Equal(MappingFailureKind.NoAnswer, outcome.Failure);
        Assert.StartsWith("127.0.0.1:", Assert.IsType<CannotSendFailure>(outcome.Reason).Target, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"took {stopwatch.Elapsed}; the 3 s budget must not be waited out");
        Assert.Null(await mapper.GetExternalAddressAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>A socket whose sends fail as on a host without a route to the gateway.</summary>
    private sealed class UnroutableTransport : IUdpTransport
    {
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IPEndPoint? LocalEndPoint { get; private set; }

        public void Bind(IPEndPoint localEndPoint) => LocalEndPoint = localEndPoint;

        public void SetMulticastInterface(IPAddress interfaceAddress, int timeToLive) { }

        public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remoteEndPoint, CancellationToken cancellationToken) =>
            ValueTask.FromException(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.NetworkUnreachable));

        public async ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            await _closed.Task.WaitAsync(cancellationToken);
            throw new ObjectDisposedException(nameof(UnroutableTransport));
        }

        public void Dispose() => _closed.TrySetResult();
    }

    [Fact]
    public async Task Find_mapping_returns_null_without_sending()
    {
        await using var gateway = new FakePmpGateway();
        Assert.Null(await Mapper(gateway).FindMappingAsync(TransportProtocol.Tcp, 8080, TestContext.Current.CancellationToken));
        Assert.Equal(0, gateway.RequestCount);
    }

    [Fact]
    public async Task Mapper_rebuilt_from_a_journaled_record_deletes_the_mapping()
    {
        await using var gateway = new FakePmpGateway();
        var ct = TestContext.Current.CancellationToken;
        MappingRecord record = (await Mapper(gateway).MapAsync(Request(), ct)).Record!;
        var rebuilt = NatPmpPortMapper.FromRecord(record, UdpTransport.Create, Options(gateway));
        Assert.True((await rebuilt.UnmapAsync(record, ct)).Succeeded);
        Assert.Empty(gateway.Mappings);
        Assert.Throws<ArgumentException>(() => NatPmpPortMapper.FromRecord(record with { Method = MappingMethod.Pcp }, UdpTransport.Create));
    }

    [Fact]
    public async Task Mapping_for_another_host_is_refused_before_sending()
    {
        await using var gateway = new FakePmpGateway();
        var request = Request() with { InternalClient = IPAddress.Parse("127.0.0.2") };
        await Assert.ThrowsAsync<ArgumentException>(() => Mapper(gateway).MapAsync(request, TestContext.Current.CancellationToken));
        Assert.Equal(0, gateway.RequestCount);
    }

    [Fact]
    public async Task Unmap_of_another_hosts_record_is_refused()
    {
        await using var gateway = new FakePmpGateway();
        var record = new MappingRecord
        {
            Method = MappingMethod.NatPmp, Gateway = Loopback, Protocol = TransportProtocol.Tcp, ExternalPort = 1, InternalClient = IPAddress.Parse("127.0.0.2"), InternalPort = 1, Lease = TimeSpan.Zero,
        };
        MappingOutcome outcome = await Mapper(gateway).UnmapAsync(record, TestContext.Current.CancellationToken);
        Assert.Equal(MappingFailureKind.NotAuthorized, outcome.Failure);
        Assert.Equal(0, gateway.RequestCount);
    }

    [Fact]
    public async Task Probe_finds_the_gateway_and_its_address()
    {
        await using var gateway = new FakePmpGateway();
        NatPmpProbeResult? result = await NatPmpProbe.ProbeAsync(Gateway, UdpTransport.Create, Options(gateway), TestContext.Current.CancellationToken);
        Assert.NotNull(result);
        Assert.Equal(IPAddress.Parse("11.0.0.2"), result.ExternalAddress);
        Assert.True(result.Elapsed < TimeSpan.FromMilliseconds(500));

        // The mapper reuses the probed address instead of asking again.
        MappingOutcome outcome = await result.Mapper.MapAsync(Request(), TestContext.Current.CancellationToken);
        Assert.Equal(IPAddress.Parse("11.0.0.2"), outcome.Record!.ExternalAddress);
        Assert.Equal(2, gateway.RequestCount);
    }

    [Fact]
    public async Task Probe_of_a_silent_gateway_is_null_within_the_probe_budget()
    {
        await using var gateway = new FakePmpGateway { NatPmpEnabled = false };
        var stopwatch = Stopwatch.StartNew();
        Assert.Null(await NatPmpProbe.ProbeAsync(Gateway, UdpTransport.Create, Options(gateway, probeBudgetMs: 400), TestContext.Current.CancellationToken));
        Assert.InRange(stopwatch.Elapsed.TotalMilliseconds, 350, 1500);
    }

    [Fact]
    public async Task Probe_reports_an_error_result_with_a_mapper()
    {
        await using var gateway = new FakePmpGateway { NatPmpResult = 2 };
        NatPmpProbeResult? result = await NatPmpProbe.ProbeAsync(Gateway, UdpTransport.Create, Options(gateway), TestContext.Current.CancellationToken);
        Assert.NotNull(result);
        Assert.Equal(PortDoctor.Protocol.NatPmp.NatPmpResultCode.NotAuthorized, result.ResultCode);
        Assert.Null(result.ExternalAddress);
    }

    [Fact]
    public async Task Presence_turns_lost_once_after_the_gateway_reboots()
    {
        await using var gateway = new FakePmpGateway();
        var mapper = Mapper(gateway);
        var ct = TestContext.Current.CancellationToken;
        MappingRecord record = (await mapper.MapAsync(Request(), ct)).Record!;
        var budget = TimeSpan.FromSeconds(1);

        Assert.Equal(MappingPresence.Held, (await mapper.CheckPresenceAsync(record, budget, ct)).Presence);
        gateway.Reboot();
        Assert.Equal(MappingPresence.Lost, (await mapper.CheckPresenceAsync(record, budget, ct)).Presence);
        Assert.Equal(MappingPresence.Held, (await mapper.CheckPresenceAsync(record, budget, ct)).Presence);
        Assert.Null(mapper.Prepare(Request()).Intent.PcpNonce);
        Assert.Equal(new LowPortFailure(MappingMethod.NatPmp, 1024), mapper.Declines(Request(externalPort: 8080, internalPort: 80)));
    }
}
