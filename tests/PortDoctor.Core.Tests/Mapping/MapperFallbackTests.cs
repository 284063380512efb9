using System.Net;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.NatPmp;
using PortDoctor.Core.Pcp;
using PortDoctor.Core.Tests.Fakes;
using PortDoctor.Core.Tests.NatPmp;
using PortDoctor.Core.Tests.Workflows;

namespace PortDoctor.Core.Tests.Mapping;

public sealed class MapperFallbackTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A mapper that answers as scripted; the fallback never learns which protocol it is.</summary>
    private sealed class ScriptedMapper(MappingMethod method, MappingFailure? failure = null, MappingFailure? declines = null) : TestMapperBase
    {
        public override MappingMethod Method => method;

        public int Calls { get; private set; }

        public IPortMapper? Offers { get; init; }

        public override MappingFailure? Declines(MappingRequest request) => declines;

        public override IPortMapper? FallbackAfter(MappingOutcome failed) => Offers;

        public override Task<MappingOutcome> MapAsync(MappingRequest request, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(failure is null
                ? MappingOutcome.Success(new MappingRecord
                {
                    Method = method,
                    Gateway = IPAddress.Loopback,
                    Protocol = request.Protocol,
                    ExternalPort = request.ExternalPort,
                    InternalClient = request.InternalClient,
                    InternalPort = request.InternalPort,
                    Lease = request.Lease,
                })
                : MappingOutcome.Fail(failure));
        }

        public override Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken) => Task.FromResult(MappingOutcome.Success(record));
    }

    private static Task<MappingOutcome> Send(IPortMapper m, MappingRequest r, CancellationToken ct) => m.MapAsync(m.Prepare(r), ct);

    private static PcpPortMapper UnreachablePcp() =>
        new(new PcpClient(IPAddress.Loopback, IPAddress.Loopback, PortDoctor.Core.Net.UdpTransport.Create, new PmpClientOptions { ServerPort = 9 }));

    private static NatPmpPortMapper UnreachableNatPmp() =>
        new(new NatPmpClient(IPAddress.Loopback, IPAddress.Loopback, PortDoctor.Core.Net.UdpTransport.Create, new PmpClientOptions { ServerPort = 9 }));

    [Fact]
    public async Task The_next_mapper_is_used_when_the_best_one_fails()
    {
        var pcp = new ScriptedMapper(MappingMethod.Pcp, new NoAnswerFailure("127.0.0.1:5351", 1000));
        var natpmp = new ScriptedMapper(MappingMethod.NatPmp);
        var upnp = new ScriptedMapper(MappingMethod.Upnp);

        var result = await MapperFallback.MapAsync([pcp, natpmp, upnp], PmpTestSupport.Request(externalPort: 8080, internalPort: 8080), Send, Ct);

        Assert.True(result.Outcome.Succeeded);
        Assert.Same(natpmp, result.Mapper);
        Assert.Equal([MappingMethod.Pcp, MappingMethod.NatPmp], result.Attempts.Select(a => a.Mapper.Method));
        Assert.Equal(0, upnp.Calls);
    }

    [Fact]
    public async Task Upnp_is_asked_after_natpmp_fails()
    {
        var natpmp = new ScriptedMapper(MappingMethod.NatPmp, new NatPmpRefusedFailure(PortDoctor.Protocol.NatPmp.NatPmpResultCode.OutOfResources, MappingOperation.Map));
        var upnp = new ScriptedMapper(MappingMethod.Upnp);

        var result = await MapperFallback.MapAsync([natpmp, upnp], PmpTestSupport.Request(externalPort: 8080, internalPort: 8080), Send, Ct);

        Assert.True(result.Outcome.Succeeded);
        Assert.Same(upnp, result.Mapper);
        var first = Assert.IsType<NatPmpRefusedFailure>(result.Attempts[0].Outcome!.Reason);
        Assert.Equal(PortDoctor.Protocol.NatPmp.NatPmpResultCode.OutOfResources, first.Result);
        Assert.Equal(MappingFailureKind.RouterError, result.Attempts[0].Outcome!.Failure);
    }

    [Fact]
    public async Task When_every_mapper_fails_the_last_failure_is_returned()
    {
        var result = await MapperFallback.MapAsync(
            [new ScriptedMapper(MappingMethod.Pcp, new OtherClientFailure(IPAddress.Parse("192.168.1.9"), IPAddress.Loopback)),
             new ScriptedMapper(MappingMethod.Upnp, new HeldByOtherHostFailure("192.168.1.50", 80, "nas"))],
            PmpTestSupport.Request(externalPort: 8080, internalPort: 8080), Send, Ct);

        Assert.False(result.Outcome.Succeeded);
        Assert.Equal(MappingFailureKind.ConflictWithOtherHost, result.Outcome.Failure);
        Assert.Equal("192.168.1.50", result.Outcome.ConflictHolder);
        Assert.Equal(MappingMethod.Upnp, result.Mapper!.Method);
        Assert.Equal(2, result.Attempts.Count);
    }

    [Fact]
    public async Task A_mapper_that_declines_is_skipped_without_sending()
    {
        var declining = new ScriptedMapper(MappingMethod.Pcp, declines: new LowPortFailure(MappingMethod.Pcp, 1024));
        var upnp = new ScriptedMapper(MappingMethod.Upnp);

        var result = await MapperFallback.MapAsync([declining, upnp], PmpTestSupport.Request(externalPort: 80, internalPort: 80), Send, Ct);

        Assert.Same(upnp, result.Mapper);
        Assert.Equal(0, declining.Calls);
        Assert.IsType<LowPortFailure>(result.Attempts[0].Declined);
        Assert.Null(result.Attempts[0].Outcome);
    }

    [Fact]
    public async Task Natpmp_and_pcp_decline_ports_below_1024_with_a_typed_refusal_and_upnp_maps_them()
    {
        var upnp = new ScriptedMapper(MappingMethod.Upnp);

        var result = await MapperFallback.MapAsync([UnreachablePcp(), UnreachableNatPmp(), upnp], PmpTestSupport.Request(externalPort: 80, internalPort: 80), Send, Ct);

        Assert.Same(upnp, result.Mapper);
        Assert.Equal(
            [new LowPortFailure(MappingMethod.Pcp, 1024), new LowPortFailure(MappingMethod.NatPmp, 1024)],
            result.Attempts.Take(2).Select(a => a.Declined));
        Assert.Null(upnp.Declines(PmpTestSupport.Request(externalPort: 80, internalPort: 80)));
    }

    [Fact]
    public async Task Only_declining_mappers_for_a_low_port_fail_with_the_refusal_without_sending()
    {
        var result = await MapperFallback.MapAsync([UnreachablePcp()], PmpTestSupport.Request(externalPort: 443, internalPort: 1443), Send, Ct);

        Assert.False(result.Outcome.Succeeded);
        Assert.Equal(new LowPortFailure(MappingMethod.Pcp, 1024), result.Outcome.Reason);
        Assert.Null(result.Mapper);
    }

    [Fact]
    public async Task An_offered_fallback_is_tried_next_unless_that_protocol_is_queued_already()
    {
        var offered = new ScriptedMapper(MappingMethod.NatPmp);
        var first = new ScriptedMapper(MappingMethod.Pcp, new NatPmpOnlyFailure()) { Offers = offered };
        var upnp = new ScriptedMapper(MappingMethod.Upnp);

        var result = await MapperFallback.MapAsync([first, upnp], PmpTestSupport.Request(), Send, Ct);
        Assert.Same(offered, result.Mapper);
        Assert.Equal(0, upnp.Calls);

        var queued = new ScriptedMapper(MappingMethod.NatPmp);
        var again = new ScriptedMapper(MappingMethod.Pcp, new NatPmpOnlyFailure()) { Offers = new ScriptedMapper(MappingMethod.NatPmp) };
        var second = await MapperFallback.MapAsync([again, queued], PmpTestSupport.Request(), Send, Ct);
        Assert.Same(queued, second.Mapper);
        Assert.Equal(2, second.Attempts.Count);
    }

    [Fact]
    public async Task A_natpmp_only_answer_to_pcp_switches_to_natpmp_on_the_same_gateway_at_once()
    {
        await using var gateway = new FakePmpGateway { PcpMode = FakePcpMode.NatPmpOnly };
        var options = PmpTestSupport.Options(gateway);
        var pcp = new PcpPortMapper(new PcpClient(IPAddress.Loopback, IPAddress.Loopback, PortDoctor.Core.Net.UdpTransport.Create, options));

        var result = await MapperFallback.MapAsync([pcp], PmpTestSupport.Request(), Send, Ct);

        Assert.True(result.Outcome.Succeeded, result.Outcome.MachineReason());
        Assert.IsType<NatPmpPortMapper>(result.Mapper);
        Assert.Equal(MappingMethod.NatPmp, result.Outcome.Record!.Method);
        Assert.IsType<NatPmpOnlyFailure>(result.Attempts[0].Outcome!.Reason);
        Assert.Single(gateway.Mappings);
    }
}
