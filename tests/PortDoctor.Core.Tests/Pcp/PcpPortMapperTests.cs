using System.Diagnostics;
using System.Net;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.NatPmp;
using PortDoctor.Core.Net;
using PortDoctor.Core.Pcp;
using PortDoctor.Core.Tests.Fakes;
using PortDoctor.Protocol.Pcp;
using static PortDoctor.Core.Tests.NatPmp.PmpTestSupport;

namespace PortDoctor.Core.Tests.Pcp;

public class PcpPortMapperTests
{
    private static PcpPortMapper Mapper(FakePmpGateway gateway, double budgetMs = 3000, double initialRetransmitMs = 250)
    {
        PmpClientOptions options = Options(gateway, budgetMs) with { InitialRetransmit = TimeSpan.FromMilliseconds(initialRetransmitMs) };
        return new PcpPortMapper(
            new PcpClient(Loopback, Loopback, UdpTransport.Create, options),
            new NatPmpClient(Loopback, Loopback, UdpTransport.Create, options));
    }

    private static byte[][] PcpMapRequests(FakePmpGateway gateway) =>
        [.. gateway.Requests.Select(r => r.Data).Where(d => d.Length >= 60 && d[0] == 2 && d[1] == 1)];

    [Fact]
    public async Task Map_records_nonce_granted_port_and_external_address()
    {
        await using var gateway = new FakePmpGateway();
        var mapper = Mapper(gateway);
        MappingOutcome outcome = await mapper.MapAsync(Request(), TestContext.Current.CancellationToken);
        Assert.True(outcome.Succeeded, outcome.MachineReason());
        MappingRecord record = outcome.Record!;
        Assert.Equal(MappingMethod.Pcp, record.Method);
        Assert.Equal(28174, record.ExternalPort);
        Assert.Equal(22002, record.InternalPort);
        Assert.Equal(TimeSpan.FromSeconds(3600), record.Lease);
        Assert.Equal(IPAddress.Parse("11.0.0.2"), record.ExternalAddress);
        Assert.Matches("^[0-9a-f]{24}$", record.PcpNonce);
        Assert.Equal(Convert.FromHexString(record.PcpNonce!), Assert.Single(gateway.Mappings).Nonce);
    }

    [Fact]
    public async Task Request_suggests_ipv4_mapped_all_zeros_and_sends_no_options()
    {
        await using var gateway = new FakePmpGateway();
        await Mapper(gateway).MapAsync(Request(), TestContext.Current.CancellationToken);
        byte[] sent = Assert.Single(PcpMapRequests(gateway));
        Assert.Equal(60, sent.Length); // header + MAP body, no options at all, so no PREFER_FAILURE
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0 }, sent[44..60]);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 127, 0, 0, 1 }, sent[8..24]);
    }

    [Fact]
    public async Task Each_new_mapping_gets_a_fresh_nonce()
    {
        await using var gateway = new FakePmpGateway();
        var mapper = Mapper(gateway);
        var ct = TestContext.Current.CancellationToken;
        MappingOutcome a = await mapper.MapAsync(Request(internalPort: 1000, externalPort: 1000), ct);
        MappingOutcome b = await mapper.MapAsync(Request(internalPort: 1001, externalPort: 1001), ct);
        Assert.NotEqual(a.Record!.PcpNonce, b.Record!.PcpNonce);
    }

    [Fact]
    public async Task Renew_and_delete_reuse_the_nonce_on_the_same_mapper()
    {
        await using var gateway = new FakePmpGateway();
        var mapper = Mapper(gateway);
        var ct = TestContext.Current.CancellationToken;
        MappingOutcome created = await mapper.MapAsync(Request(), ct);
        MappingOutcome renewed = await mapper.MapAsync(Request(), ct);
        Assert.True(renewed.Succeeded, renewed.MachineReason());
        Assert.Equal(created.Record!.PcpNonce, renewed.Record!.PcpNonce);
        MappingOutcome deleted = await mapper.UnmapAsync(renewed.Record, ct);
        Assert.True(deleted.Succeeded, deleted.MachineReason());
        Assert.Empty(gateway.Mappings);
        byte[][] sent = PcpMapRequests(gateway);
        Assert.Equal(3, sent.Length);
        Assert.All(sent, s => Assert.Equal(sent[0][24..36], s[24..36]));
        Assert.Equal(new byte[4], sent[2][4..8]); // lifetime 0
    }

    [Fact]
    public async Task Journaled_record_renews_and_deletes_after_a_restart()
    {
        await using var gateway = new FakePmpGateway();
        var ct = TestContext.Current.CancellationToken;
        MappingRecord record = (await Mapper(gateway).MapAsync(Request(), ct)).Record!;

        var afterRestart = PcpPortMapper.FromRecord(record, UdpTransport.Create, Options(gateway)); // knows nothing but the record
        MappingOutcome renewed = await afterRestart.RenewAsync(record, ct);
        Assert.True(renewed.Succeeded, renewed.MachineReason());
        Assert.Equal(record.PcpNonce, renewed.Record!.PcpNonce);

        MappingOutcome deleted = await PcpPortMapper.FromRecord(record, UdpTransport.Create, Options(gateway)).UnmapAsync(record, ct);
        Assert.True(deleted.Succeeded, deleted.MachineReason());
        Assert.Empty(gateway.Mappings);
        Assert.Throws<ArgumentException>(() => PcpPortMapper.FromRecord(record with { Method = MappingMethod.Upnp }, UdpTransport.Create));
    }

    [Fact]
    public async Task Another_nonce_is_refused_and_the_mapping_stays()
    {
        await using var gateway = new FakePmpGateway();
        var ct = TestContext.Current.CancellationToken;
        MappingRecord record = (await Mapper(gateway).MapAsync(Request(), ct)).Record!;

        MappingOutcome freshNonce = await Mapper(gateway).MapAsync(Request(), ct);
        Assert.Equal(MappingFailureKind.NotAuthorized, freshNonce.Failure);

        MappingOutcome deleted = await Mapper(gateway).UnmapAsync(record with { PcpNonce = "00112233445566778899aabb" }, ct);
        Assert.Equal(MappingFailureKind.NotAuthorized, deleted.Failure);
        Assert.Equal(MappingOperation.Delete, Assert.IsType<PcpRefusedFailure>(deleted.Reason).Operation);
        Assert.Single(gateway.Mappings);
    }

    [Fact]
    public async Task Record_without_a_nonce_cannot_be_deleted_and_nothing_is_sent()
    {
        await using var gateway = new FakePmpGateway();
        var record = new MappingRecord
        {
            Method = MappingMethod.Pcp, Gateway = Loopback, Protocol = TransportProtocol.Udp, ExternalPort = 5000, InternalClient = Loopback, InternalPort = 5000, Lease = TimeSpan.FromHours(1),
        };
        MappingOutcome outcome = await Mapper(gateway).UnmapAsync(record, TestContext.Current.CancellationToken);
        Assert.False(outcome.Succeeded);
        Assert.IsType<NoNonceFailure>(outcome.Reason);
        Assert.Equal(0, gateway.RequestCount);
        await Assert.ThrowsAsync<ArgumentException>(() => Mapper(gateway).RenewAsync(record, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => Mapper(gateway).MapAsync(Request(), "xyz", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Decoys_with_another_nonce_or_from_another_port_are_ignored()
    {
        await using var gateway = new FakePmpGateway { SendDecoysFirst = true };
        var stopwatch = Stopwatch.StartNew();
        MappingOutcome outcome = await Mapper(gateway, initialRetransmitMs: 2000).MapAsync(Request(), TestContext.Current.CancellationToken);
        Assert.True(outcome.Succeeded, outcome.MachineReason());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromMilliseconds(1500), "answered by the first request, no retransmission needed");
        Assert.Equal(1, gateway.RequestCount);
    }

    [Fact]
    public async Task Refusal_echoing_our_nonce_is_accepted_while_its_decoy_is_ignored()
    {
        await using var gateway = new FakePmpGateway();
        var ct = TestContext.Current.CancellationToken;
        Assert.True((await Mapper(gateway).MapAsync(Request(), ct)).Succeeded);
        gateway.SendDecoysFirst = true;

        // Another nonce for the same mapping: the NOT_AUTHORIZED answer echoes our nonce and counts, its decoy does not.
        MappingOutcome refused = await Mapper(gateway).MapAsync(Request(), "00112233445566778899aabb", ct);
        Assert.Equal(MappingFailureKind.NotAuthorized, refused.Failure);
    }

    [Fact]
    public async Task Only_wrong_nonce_answers_end_as_no_answer_naming_them()
    {
        await using var gateway = new FakePmpGateway { DecoysOnly = true };
        MappingOutcome outcome = await Mapper(gateway, budgetMs: 600).MapAsync(Request(), TestContext.Current.CancellationToken);
        Assert.Equal(MappingFailureKind.NoAnswer, outcome.Failure);
        Assert.IsType<NoAnswerFailure>(outcome.Reason);
    }

    [Fact]
    public async Task Lost_packets_are_retransmitted_within_the_budget()
    {
        await using var gateway = new FakePmpGateway { DropFirst = 1 };
        var stopwatch = Stopwatch.StartNew();
        MappingOutcome outcome = await Mapper(gateway).MapAsync(Request(), TestContext.Current.CancellationToken);
        Assert.True(outcome.Succeeded, outcome.MachineReason());
        Assert.Equal(2, gateway.RequestCount);
        Assert.InRange(stopwatch.Elapsed.TotalMilliseconds, 200, 1500); // the second send after 250 ms, not RFC 6887's 3 s
    }

    [Fact]
    public async Task Natpmp_only_gateway_ends_the_request_at_once()
    {
        await using var gateway = new FakePmpGateway { PcpMode = FakePcpMode.NatPmpOnly };
        var mapper = Mapper(gateway, initialRetransmitMs: 1000);
        var stopwatch = Stopwatch.StartNew();
        MappingOutcome outcome = await mapper.MapAsync(Request(), TestContext.Current.CancellationToken);
        stopwatch.Stop();
        Assert.IsType<NatPmpOnlyFailure>(outcome.Reason);
        Assert.IsType<NatPmpPortMapper>(mapper.FallbackAfter(outcome));
        Assert.True(mapper.ServerSpeaksOnlyNatPmp);
        Assert.Null(outcome.Record);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromMilliseconds(500), $"took {stopwatch.Elapsed}, budget 3 s");
        Assert.Equal(1, gateway.RequestCount);
    }

    [Theory]
    [InlineData(2, MappingFailureKind.NotAuthorized)]
    [InlineData(11, MappingFailureKind.ConflictWithOtherHost)]
    [InlineData(8, MappingFailureKind.RouterError)]
    [InlineData(7, MappingFailureKind.RouterError)]
    public async Task Error_results_map_to_failure_kinds(byte code, MappingFailureKind kind)
    {
        await using var gateway = new FakePmpGateway { PcpResult = code };
        MappingOutcome outcome = await Mapper(gateway).MapAsync(Request(), TestContext.Current.CancellationToken);
        Assert.Equal(kind, outcome.Failure);
        Assert.Equal(new PcpRefusedFailure((PcpResultCode)code, MappingOperation.Map), outcome.Reason);
        Assert.Equal(code, outcome.Reason!.ProtocolCode);
        Assert.Null(Mapper(gateway).FallbackAfter(outcome));
    }

    [Fact]
    public async Task A_delete_answered_no_resources_means_the_mapping_is_already_gone()
    {
        // miniupnpd answers a delete of a mapping it does not hold with NO_RESOURCES (RFC 6887 §15 says SUCCESS):
        // after a lost answer to our own delete, or a crash between the journal's intent and the MAP.
        await using var gateway = new FakePmpGateway();
        var mapper = Mapper(gateway);
        MappingOutcome mapped = await mapper.MapAsync(Request(), TestContext.Current.CancellationToken);
        Assert.True(mapped.Succeeded, mapped.MachineReason());
        gateway.PcpResult = 8;
        MappingOutcome removed = await mapper.UnmapAsync(mapped.Record!, TestContext.Current.CancellationToken);
        Assert.True(removed.Succeeded, removed.MachineReason());
        Assert.Equal([new AlreadyGoneNote()], removed.Notes);
    }

    [Fact]
    public async Task Silent_gateway_gives_no_answer_at_the_end_of_the_budget()
    {
        await using var gateway = new FakePmpGateway { PcpMode = FakePcpMode.Silent };
        var stopwatch = Stopwatch.StartNew();
        MappingOutcome outcome = await Mapper(gateway, budgetMs: 600).MapAsync(Request(), TestContext.Current.CancellationToken);
        Assert.Equal(MappingFailureKind.NoAnswer, outcome.Failure);
        Assert.IsType<NoAnswerFailure>(outcome.Reason);
        Assert.InRange(stopwatch.Elapsed.TotalMilliseconds, 550, 2000);
    }

    [Fact]
    public async Task Caller_cancellation_is_rethrown()
    {
        await using var gateway = new FakePmpGateway { PcpMode = FakePcpMode.Silent };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(150);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Mapper(gateway).MapAsync(Request(), cts.Token));
    }

    [Fact]
    public async Task Gateway_reboot_is_detected_from_the_epoch()
    {
        await using var gateway = new FakePmpGateway();
        var mapper = Mapper(gateway);
        var ct = TestContext.Current.CancellationToken;
        MappingRecord record = (await mapper.MapAsync(Request(), ct)).Record!;
        Assert.False(mapper.GatewayRebootDetected);
        gateway.Reboot();
        MappingOutcome again = await mapper.RenewAsync(record, ct); // the rebooted router has no mapping: the nonce is free again
        Assert.True(again.Succeeded, again.MachineReason());
        Assert.True(mapper.GatewayRebootDetected);
    }

    [Fact]
    public async Task External_address_comes_from_natpmp_on_the_same_server_or_else_from_map()
    {
        await using var gateway = new FakePmpGateway();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(IPAddress.Parse("11.0.0.2"), await Mapper(gateway).GetExternalAddressAsync(ct));

        gateway.NatPmpEnabled = false;
        var pcpOnly = new PcpPortMapper(new PcpClient(Loopback, Loopback, UdpTransport.Create, Options(gateway)));
        Assert.Null(await pcpOnly.GetExternalAddressAsync(ct));
        await pcpOnly.MapAsync(Request(), ct);
        Assert.Equal(IPAddress.Parse("11.0.0.2"), await pcpOnly.GetExternalAddressAsync(ct));
    }

    [Fact]
    public async Task Probe_finds_a_pcp_server()
    {
        await using var gateway = new FakePmpGateway();
        PcpProbeResult? result = await PcpProbe.ProbeAsync(Gateway, UdpTransport.Create, Options(gateway), TestContext.Current.CancellationToken);
        Assert.NotNull(result);
        Assert.NotNull(result.Mapper);
        Assert.False(result.ServerSpeaksOnlyNatPmp);
        Assert.Equal(PcpResultCode.Success, result.ResultCode);
        byte[] announce = gateway.Requests.Single().Data;
        Assert.Equal(24, announce.Length);
        Assert.Equal(new byte[] { 2, 0 }, announce[..2]);
        Assert.True((await result.Mapper.MapAsync(Request(), TestContext.Current.CancellationToken)).Succeeded);
    }

    [Fact]
    public async Task Probe_of_a_natpmp_only_gateway_says_so_at_once()
    {
        await using var gateway = new FakePmpGateway { PcpMode = FakePcpMode.NatPmpOnly };
        PcpProbeResult? result = await PcpProbe.ProbeAsync(Gateway, UdpTransport.Create, Options(gateway), TestContext.Current.CancellationToken);
        Assert.NotNull(result);
        Assert.True(result.ServerSpeaksOnlyNatPmp);
        Assert.Null(result.Mapper);
        Assert.True(result.Elapsed < TimeSpan.FromMilliseconds(400), $"took {result.Elapsed}, probe budget 1 s");
    }

    [Fact]
    public async Task Probe_of_a_silent_gateway_is_null_within_the_probe_budget()
    {
        await using var gateway = new FakePmpGateway { PcpMode = FakePcpMode.Silent };
        var stopwatch = Stopwatch.StartNew();
        Assert.Null(await PcpProbe.ProbeAsync(Gateway, UdpTransport.Create, Options(gateway, probeBudgetMs: 400), TestContext.Current.CancellationToken));
        Assert.InRange(stopwatch.Elapsed.TotalMilliseconds, 350, 1500);
    }

    [Fact]
    public async Task The_intent_carries_the_nonce_the_mapper_draws_and_the_request_uses_it()
    {
        await using var gateway = new FakePmpGateway();
        var mapper = Mapper(gateway);
        var ct = TestContext.Current.CancellationToken;

        PreparedMapping prepared = mapper.Prepare(Request());
        Assert.Matches("^[0-9a-f]{24}$", prepared.Intent.PcpNonce);
        Assert.Empty(gateway.Mappings); // preparing sends nothing
        MappingOutcome outcome = await mapper.MapAsync(prepared, ct);

        Assert.True(outcome.Succeeded, outcome.MachineReason());
        Assert.Equal(prepared.Intent.PcpNonce, outcome.Record!.PcpNonce);
        Assert.Equal(prepared.Intent.PcpNonce, Convert.ToHexStringLower(Assert.Single(gateway.Mappings).Nonce!));
        Assert.Equal(MappingMethod.Pcp, prepared.Intent.Method);
    }

    [Fact]
    public void A_re_created_mapping_keeps_the_nonce_of_the_one_it_replaces()
    {
        var replacing = new MappingRecord
        {
            Method = MappingMethod.Pcp,
            Gateway = Loopback,
            Protocol = TransportProtocol.Tcp,
            ExternalPort = 28174,
            InternalClient = Loopback,
            InternalPort = 22002,
            Lease = TimeSpan.FromMinutes(10),
            PcpNonce = "00112233445566778899aabb",
        };

        var fresh = new PcpPortMapper(new PcpClient(Loopback, Loopback, UdpTransport.Create));
        Assert.Equal("00112233445566778899aabb", fresh.Prepare(Request(), replacing).Intent.PcpNonce);
        Assert.NotEqual("00112233445566778899aabb", fresh.Prepare(Request()).Intent.PcpNonce);
    }

    [Fact]
    public async Task Presence_is_held_until_the_epoch_shows_a_reboot_for_every_mapping_on_the_gateway()
    {
        await using var gateway = new FakePmpGateway();
        var mapper = Mapper(gateway);
        var ct = TestContext.Current.CancellationToken;
        MappingRecord tcp = (await mapper.MapAsync(Request(), ct)).Record!;
        MappingRecord udp = (await mapper.MapAsync(Request(TransportProtocol.Udp), ct)).Record!;
        var budget = TimeSpan.FromSeconds(1);

        Assert.Equal(MappingPresence.Held, (await mapper.CheckPresenceAsync(tcp, budget, ct)).Presence); // baseline
        Assert.Equal(MappingPresence.Held, (await mapper.CheckPresenceAsync(udp, budget, ct)).Presence);
        gateway.Reboot();
        Assert.Equal(MappingPresence.Lost, (await mapper.CheckPresenceAsync(tcp, budget, ct)).Presence);
        Assert.Equal(MappingPresence.Lost, (await mapper.CheckPresenceAsync(udp, budget, ct)).Presence); // seen by the first question, told to both
        Assert.Equal(MappingPresence.Held, (await mapper.CheckPresenceAsync(tcp, budget, ct)).Presence); // told once
    }

    [Fact]
    public async Task Presence_of_a_silent_gateway_is_no_answer_with_why()
    {
        await using var gateway = new FakePmpGateway { PcpMode = FakePcpMode.Silent };
        var record = new MappingRecord
        {
            Method = MappingMethod.Pcp, Gateway = Loopback, Protocol = TransportProtocol.Tcp, ExternalPort = 28174, InternalClient = Loopback,
            InternalPort = 22002, Lease = TimeSpan.FromMinutes(10), PcpNonce = "00112233445566778899aabb",
        };

        PresenceCheck check = await Mapper(gateway).CheckPresenceAsync(record, TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);

        Assert.Equal(MappingPresence.NoAnswer, check.Presence);
        Assert.IsType<NoAnswerFailure>(check.Why);
    }

    [Fact]
    public void Ports_below_1024_are_declined_before_anything_is_sent()
    {
        var mapper = new PcpPortMapper(new PcpClient(Loopback, Loopback, UdpTransport.Create));
        Assert.Equal(new LowPortFailure(MappingMethod.Pcp, 1024), mapper.Declines(Request(externalPort: 443, internalPort: 8443)));
        Assert.Null(mapper.Declines(Request(externalPort: 1024, internalPort: 1024)));
        Assert.False(mapper.CanListMappings);
    }
}
