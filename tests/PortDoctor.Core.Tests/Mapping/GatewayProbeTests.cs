using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.NatPmp;
using PortDoctor.Core.Net;
using PortDoctor.Core.Tests.Fakes;

namespace PortDoctor.Core.Tests.Mapping;

public sealed class GatewayProbeTests
{
    private static readonly GatewayInfo Lo = new(IPAddress.Loopback, IPAddress.Loopback, 8, "lo");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static GatewayProbe Probe(FakeSsdpIgd igd, int pmpPort, TimeSpan budget, TimeSpan grace) =>
        new(_ => new SwitchingTransport(igd.NewSocket), new HttpClient(igd))
        {
            Budget = budget,
            PreferenceGrace = grace,
            PmpOptions = new PmpClientOptions { ServerPort = pmpPort, ProbeBudget = budget },
        };

    /// <summary>A loopback UDP port nothing listens on: the kernel answers with ICMP port-unreachable.</summary>
    private static int ClosedPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    [Fact]
    public async Task Pcp_answering_first_is_returned_at_once_without_waiting_for_upnp()
    {
        await using var gateway = new FakePmpGateway();
        var igd = new FakeSsdpIgd { Answers = false };
        var watch = Stopwatch.StartNew();

        var result = await Probe(igd, gateway.Port, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)).ProbeAsync([Lo], Ct);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Equal(MappingMethod.Pcp, result.Mappers[0].Method);
        Assert.Equal(result.Mappers.Count, result.Answers.Count);
        Assert.Null(result.RouterName);
        Assert.Contains(result.Notes, n => n.Contains("UPnP: no IGD had answered when the probe decided", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_upnp_answering_is_returned_as_soon_as_natpmp_and_pcp_are_refused_without_the_grace()
    {
        var igd = new FakeSsdpIgd();
        var watch = Stopwatch.StartNew();

        // A grace of 10 s: waiting it out would fail the time assertion; ICMP refusals end it.
        var result = await Probe(igd, ClosedPort(), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)).ProbeAsync([Lo], Ct);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        var mapper = Assert.Single(result.Mappers);
        Assert.Equal(MappingMethod.Upnp, mapper.Method);
        Assert.Equal("Acme R9 (Lab router)", result.RouterName);
        Assert.Contains(result.Notes, n => n.StartsWith("PCP: 127.0.0.1 refused", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.StartsWith("NAT-PMP: 127.0.0.1 refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upnp_answering_first_waits_the_grace_for_a_silent_natpmp_then_returns_upnp()
    {
        await using var gateway = new FakePmpGateway { NatPmpEnabled = false, PcpMode = FakePcpMode.Silent };
        var igd = new FakeSsdpIgd();
        var watch = Stopwatch.StartNew();

        var result = await Probe(igd, gateway.Port, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300)).ProbeAsync([Lo], Ct);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"took {watch.Elapsed}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        Assert.Equal(MappingMethod.Upnp, Assert.Single(result.Mappers).Method);
        Assert.Contains(result.Notes, n => n.Contains("had not answered when the probe decided", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Natpmp_only_reply_to_pcp_gives_the_natpmp_mapper()
    {
        await using var gateway = new FakePmpGateway { PcpMode = FakePcpMode.NatPmpOnly };
        var igd = new FakeSsdpIgd { Answers = false };

        var result = await Probe(igd, gateway.Port, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)).ProbeAsync([Lo], Ct);

        var mapper = Assert.Single(result.Mappers);
        Assert.Equal(MappingMethod.NatPmp, mapper.Method);
        Assert.Equal(gateway.ExternalAddress, Assert.Single(result.Answers).ExternalAddress);
        Assert.Contains(result.Notes, n => n.Contains("speaks only NAT-PMP", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nothing_answering_gives_an_empty_list_within_the_budget()
    {
        await using var gateway = new FakePmpGateway { NatPmpEnabled = false, PcpMode = FakePcpMode.Silent };
        var igd = new FakeSsdpIgd { Answers = false };
        var watch = Stopwatch.StartNew();

        var result = await Probe(igd, gateway.Port, TimeSpan.FromMilliseconds(700), TimeSpan.FromMilliseconds(60)).ProbeAsync([Lo], Ct);

        Assert.Empty(result.Mappers);
        Assert.Empty(result.Answers);
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(700) + TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
        Assert.True(result.Elapsed >= TimeSpan.FromMilliseconds(650), $"ended early: {result.Elapsed}");
    }

    [Fact]
    public async Task Probe_all_lists_every_protocol_best_first_with_external_addresses()
    {
        await using var gateway = new FakePmpGateway();
        var igd = new FakeSsdpIgd();

        var result = await Probe(igd, gateway.Port, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(60)).ProbeAllAsync([Lo], Ct);

        Assert.Equal([MappingMethod.Pcp, MappingMethod.NatPmp, MappingMethod.Upnp], result.Mappers.Select(m => m.Method));
        Assert.Equal(gateway.ExternalAddress, result.Answers[0].ExternalAddress); // PCP's server answered the NAT-PMP address request
        Assert.Equal(gateway.ExternalAddress, result.Answers[1].ExternalAddress);
        Assert.Equal("Acme R9 (Lab router)", result.RouterName);
    }

    [Fact]
    public async Task Caller_cancellation_is_rethrown()
    {
        await using var gateway = new FakePmpGateway { NatPmpEnabled = false, PcpMode = FakePcpMode.Silent };
        var igd = new FakeSsdpIgd { Answers = false };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Probe(igd, gateway.Port, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(60)).ProbeAsync([Lo], cts.Token));
    }
}
