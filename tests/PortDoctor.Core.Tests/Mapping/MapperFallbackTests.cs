using System.Net;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.NatPmp;
using PortDoctor.Core.Pcp;
using PortDoctor.Core.Tests.Fakes;
using PortDoctor.Core.Tests.NatPmp;

namespace PortDoctor.Core.Tests.Mapping;

public sealed class MapperFallbackTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class ScriptedMapper(string method, MappingFailureKind failure = MappingFailureKind.None) : IPortMapper
    {
        public string Method => method;

        public string GatewayDescription => method + " gateway";

        public int Calls { get; private set; }

        public Task<IPAddress?> GetExternalAddressAsync(CancellationToken cancellationToken) => Task.FromResult<IPAddress?>(null);

        public Task<MappingOutcome> MapAsync(MappingRequest request, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(failure == MappingFailureKind.None
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
                : MappingOutcome.Fail(failure, method + " said no"));
        }

        public Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken) => Task.FromResult(MappingOutcome.Success(record));

        public Task<MappingRecord?> FindMappingAsync(TransportProtocol protocol, int externalPort, CancellationToken cancellationToken) => Task.FromResult<MappingRecord?>(null);
    }

    private static Task<MappingOutcome> Send(IPortMapper m, MappingRequest r, CancellationToken ct) => m.MapAsync(r, ct);

    [Fact]
    public async Task The_next_mapper_is_used_when_the_best_one_fails()
    {
        var pcp = new ScriptedMapper("pcp", MappingFailureKind.NoAnswer);
        var natpmp = new ScriptedMapper("natpmp");
        var upnp = new ScriptedMapper("upnp");

        var result = await MapperFallback.MapAsync([pcp, natpmp, upnp], PmpTestSupport.Request(externalPort: 8080, internalPort: 8080), Send, Ct);

        Assert.True(result.Outcome.Succeeded);
        Assert.Same(natpmp, result.Mapper);
        Assert.Equal(["pcp", "natpmp"], result.Attempts.Select(a => a.Mapper.Method));
        Assert.Equal(0, upnp.Calls);
    }

    [Fact]
    public async Task When_every_mapper_fails_the_last_failure_is_returned()
    {
        var result = await MapperFallback.MapAsync(
            [new ScriptedMapper("pcp", MappingFailureKind.NotAuthorized), new ScriptedMapper("upnp", MappingFailureKind.ConflictWithOtherHost)],
            PmpTestSupport.Request(externalPort: 8080, internalPort: 8080), Send, Ct);

        Assert.False(result.Outcome.Succeeded);
        Assert.Equal(MappingFailureKind.ConflictWithOtherHost, result.Outcome.Failure);
        Assert.Equal("upnp", result.Mapper!.Method);
        Assert.Equal(2, result.Attempts.Count);
    }

    [Fact]
    public async Task Ports_below_1024_are_never_sent_over_natpmp_or_pcp()
    {
        var pcp = new ScriptedMapper("pcp");
        var natpmp = new ScriptedMapper("natpmp");
        var upnp = new ScriptedMapper("upnp");

        var result = await MapperFallback.MapAsync([pcp, natpmp, upnp], PmpTestSupport.Request(externalPort: 80, internalPort: 80), Send, Ct);

        Assert.Same(upnp, result.Mapper);
        Assert.Equal(0, pcp.Calls + natpmp.Calls);
        Assert.All(result.Attempts.Take(2), a => Assert.Contains("below 1024", a.SkippedBecause, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_natpmp_or_pcp_for_a_low_port_fails_saying_why_without_sending()
    {
        var pcp = new ScriptedMapper("pcp");
        var result = await MapperFallback.MapAsync([pcp], PmpTestSupport.Request(externalPort: 443, internalPort: 443), Send, Ct);

        Assert.False(result.Outcome.Succeeded);
        Assert.Contains("below 1024", result.Outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(0, pcp.Calls);
        Assert.Null(result.Mapper);
    }

    [Fact]
    public async Task A_natpmp_only_answer_to_pcp_switches_to_natpmp_on_the_same_gateway_at_once()
    {
        await using var gateway = new FakePmpGateway { PcpMode = FakePcpMode.NatPmpOnly };
        var options = PmpTestSupport.Options(gateway);
        var pcp = new PcpPortMapper(new PcpClient(IPAddress.Loopback, IPAddress.Loopback, PortDoctor.Core.Net.UdpTransport.Create, options));

        var result = await MapperFallback.MapAsync([pcp], PmpTestSupport.Request(), Send, Ct);

        Assert.True(result.Outcome.Succeeded, result.Outcome.Detail);
        Assert.IsType<NatPmpPortMapper>(result.Mapper);
        Assert.Equal("natpmp", result.Outcome.Record!.Method);
        Assert.True(PcpPortMapper.IsNatPmpOnly(result.Attempts[0].Outcome!));
        Assert.Single(gateway.Mappings);
    }
}
