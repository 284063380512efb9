using System.Net;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Reachability;
using PortDoctor.Core.Reports;
using PortDoctor.Core.Stun;
using PortDoctor.Core.Tests.Fakes;

namespace PortDoctor.Core.Tests.Diagnosis;

/// <summary>The orchestrator over fakes: which checks run, in which order their findings appear, the root cause and the exit code.</summary>
public sealed class DiagnoseWorkflowTests
{
    private static RouterFake Upnp(string client = "192.168.77.10", string external = "11.0.0.2", Exception? tableError = null) => new("upnp")
    {
        External = IPAddress.Parse(external),
        Entry = Home.Mapping(client, 8080),
        TableError = tableError,
    };

    [Fact]
    public async Task A_healthy_home_network_is_all_fine_with_every_check_reported_in_order()
    {
        using var seams = new DiagnoseSeams
        {
            Probe = new ProbeFake(Upnp()),
            Checker = new CheckerFake(),
            Hops = new HopsFake("192.168.77.1", "11.0.0.1", "11.0.0.1", "11.0.0.1"),
            Resolver = new FakeHostResolver().Answer("live.example.net", "11.0.0.2"),
            Connector = new FakeTcpConnector().Accept("11.0.0.2:8080"),
        };

        var report = await seams.RunAsync(new DiagnoseOptions { Port = 8080, Url = new Uri("https://live.example.net:8080/") });

        Assert.Equal("network:Info listener:Info gateway:Info public-address:Info hops:Info mapping:Info hairpin:Info reachable:Info url:Info",
            FindingAssert.Ids(report.Findings));
        Assert.Null(report.RootCause);
        Assert.Equal((ExitCodes.Success, "Diag.Verdict.AllFinePort", 8080, "tcp"), (report.ExitCode, report.Verdict.Key, report.Port, report.Protocol));
        Assert.Equal("true", report.Findings.Single(x => x.Id == FindingIds.Hairpin).Evidence["hairpin"]);
        Assert.Equal("live.example.net", Assert.Single(seams.Resolver.Lookups).Host);
    }

    [Fact]
    public async Task Without_a_gateway_there_is_no_network_and_exit_code_3()
    {
        using var seams = new DiagnoseSeams { Gateways = [], Checker = new CheckerFake() };

        var report = await seams.RunAsync(new DiagnoseOptions { Port = 8080 });

        Assert.Equal("no-network:Fault", FindingAssert.Ids(report.Findings));
        Assert.Equal((FindingIds.NoNetwork, ExitCodes.Environment, "Diag.Verdict.Fault"), (report.RootCause?.Id, report.ExitCode, report.Verdict.Key));
    }

    [Fact]
    public async Task Faults_come_first_by_precedence_then_warnings_then_facts_in_check_order()
    {
        using var seams = new DiagnoseSeams
        {
            Owners = new OwnersFake(80),
            Probe = new ProbeFake(Upnp(client: "192.168.77.23", external: "192.168.1.2")),
            Checker = new CheckerFake { Result = new CheckerCheckResult(ReachabilityState.Filtered, null, null, true, null) },
            Connector = new FakeTcpConnector(),
        };

        var report = await seams.RunAsync(new DiagnoseOptions { Port = 80 });

        Assert.Equal("double-nat:Fault stale-mapping:Fault not-reachable:Fault port-below-1024:Warning network:Info listener:Info gateway:Info public-address:Info hairpin:Info",
            FindingAssert.Ids(report.Findings));
        Assert.Equal((FindingIds.DoubleNat, ExitCodes.NotReachable), (report.RootCause?.Id, report.ExitCode));
        Assert.Equal("false", report.Findings.Single(x => x.Id == FindingIds.Hairpin).Evidence["hairpin"]);
    }

    [Fact]
    public async Task A_router_table_that_cannot_be_read_is_noted_right_after_the_router()
    {
        using var seams = new DiagnoseSeams
        {
            Probe = new ProbeFake(new GatewayProbeResult([new RouterFake("pcp") { External = IPAddress.Parse("11.0.0.2") }, Upnp(tableError: new TimeoutException("no answer"))], [], TimeSpan.Zero)
            {
                RouterName = "ExampleNet XR-120N",
            }),
            Checker = new CheckerFake(),
        };

        var report = await seams.RunAsync(new DiagnoseOptions { Port = 8080, Protocol = TransportProtocol.Tcp });

        Assert.Equal("network:Info listener:Info gateway:Info mapping:Info public-address:Info hairpin:Info reachable:Info", FindingAssert.Ids(report.Findings));
        Assert.Equal("Diag.MappingUnknown", report.Findings.Single(x => x.Id == FindingIds.Mapping).Message.Key);
    }

    [Fact]
    public async Task No_router_and_no_checker_means_forward_by_hand()
    {
        using var seams = new DiagnoseSeams();

        var report = await seams.RunAsync(new DiagnoseOptions { Port = 8080 });

        Assert.Equal("no-gateway:Fault no-checker:Warning network:Info listener:Info", FindingAssert.Ids(report.Findings));
        Assert.Equal((FindingIds.NoGateway, "Gateway.ForwardManually"), (report.RootCause?.Id, report.RootCause?.Fix?.Key));
        Assert.Empty(seams.Connector.Attempts);
    }

    [Fact]
    public async Task Without_a_port_only_the_network_is_diagnosed()
    {
        using var seams = new DiagnoseSeams { Probe = new ProbeFake(Upnp()), Checker = new CheckerFake() };

        var report = await seams.RunAsync(new DiagnoseOptions());

        Assert.Equal("network:Info gateway:Info public-address:Info", FindingAssert.Ids(report.Findings));
        Assert.Equal(("Diag.Verdict.AllFine", ExitCodes.Success, 0), (report.Verdict.Key, report.ExitCode, ((CheckerFake)seams.Checker!).Checks));
    }

    [Fact]
    public async Task The_probe_stun_the_checker_and_the_hop_list_run_at_the_same_time()
    {
        // Each waits until all five calls have started: run one after another, they would wait for the budget.
        var together = new Rendezvous(5);
        using var seams = new DiagnoseSeams
        {
            Probe = new ProbeFake(Upnp()) { Gate = together.ArriveAsync },
            Checker = new CheckerFake { Gate = together.ArriveAsync },
            Hops = new HopsFake("192.168.77.1", "11.0.0.9") { Gate = together.ArriveAsync },
            Stun = new StunClient(_ => new StunTransportFake(IPEndPoint.Parse("11.0.0.2:40002")) { Gate = together.ArriveAsync }),
        };

        var report = await seams.RunAsync(new DiagnoseOptions { Port = 8080, StunServers = [IPEndPoint.Parse("11.0.0.9:3478")], Budget = TimeSpan.FromSeconds(10) });

        Assert.DoesNotContain(report.Findings, x => x.Id == FindingIds.Budget);
        Assert.True(together.Arrived >= 5);
        Assert.Equal("11.0.0.9:3478=11.0.0.2:40002", report.Findings.Single(x => x.Id == FindingIds.PublicAddress).Evidence["stun"]);
        Assert.Equal("192.168.77.1,11.0.0.9", report.Findings.Single(x => x.Id == FindingIds.Hops).Evidence["hops"]);
    }

    [Fact]
    public async Task When_the_budget_runs_out_the_findings_so_far_and_a_budget_warning_are_reported()
    {
        using var seams = new DiagnoseSeams
        {
            Probe = new ProbeFake(Upnp()) { Gate = ct => Task.Delay(Timeout.Infinite, ct) },
            Checker = new CheckerFake(),
        };

        var report = await seams.RunAsync(new DiagnoseOptions { Port = 8080, Budget = TimeSpan.FromMilliseconds(50) });

        Assert.Equal("budget:Warning network:Info listener:Info", FindingAssert.Ids(report.Findings));
        Assert.Equal(["0"], report.Findings[0].Message.Args);
        Assert.Equal(("Diag.Verdict.UnconfirmedPort", ExitCodes.NotReachable, false), (report.Verdict.Key, report.ExitCode, report.Confirmed));
    }

    public static TheoryData<string, string, string, int> Proof => new()
    {
        // what the outside check did,    verdict key,                    why not confirmed,              exit
        { "reached the port",            "Diag.Verdict.AllFinePort",     "",                             ExitCodes.Success },
        { "no checker named",            "Diag.Verdict.UnconfirmedPort", "Diag.Unconfirmed.NoChecker",   ExitCodes.NotReachable },
        { "checker could not be asked",  "Diag.Verdict.UnconfirmedPort", "Diag.Unconfirmed.CheckFailed", ExitCodes.NotReachable },
    };

    /// <summary>Nothing wrong on this side is no proof: without an outside connection the verdict is "not confirmed", exit 1.</summary>
    [Theory]
    [MemberData(nameof(Proof))]
    public async Task Only_an_outside_connection_makes_the_verdict_all_fine(string check, string verdict, string why, int exit)
    {
        using var seams = new DiagnoseSeams
        {
            Probe = new ProbeFake(Upnp()),
            Checker = check switch
            {
                "no checker named" => null,
                "checker could not be asked" => new CheckerFake
                {
                    Result = CheckerCheckResult.Failed(new CheckerError(CheckerErrorKind.Timeout, "http://11.0.0.1:8088/", Text.Of("Checker.Err.Timeout", "10"), Text.Of("Checker.Fix.Unreachable"))),
                },
                _ => new CheckerFake(),
            },
        };

        var report = await seams.RunAsync(new DiagnoseOptions { Port = 8080 });

        Assert.Null(report.RootCause);
        Assert.Equal((verdict, exit, why.Length == 0), (report.Verdict.Key, report.ExitCode, report.Confirmed));
        if (why.Length > 0)
        {
            Assert.Equal(why, Assert.IsType<Text>(report.Verdict.Args[2]).Key);
            foreach (var language in new[] { UiLanguage.English, UiLanguage.Japanese })
            {
                Assert.DoesNotContain("{", Localizer.Format(report.Verdict, language), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task The_callers_cancellation_is_rethrown_not_reported_as_the_budget()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var seams = new DiagnoseSeams
        {
            Probe = new ProbeFake(Upnp())
            {
                Gate = async ct =>
                {
                    await cancel.CancelAsync();
                    await Task.Delay(Timeout.Infinite, ct);
                },
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new DiagnoseWorkflow(seams.Context()).RunAsync(new DiagnoseOptions { Port = 8080 }, cancel.Token));
    }

    [Fact]
    public async Task A_public_host_needs_no_router_and_gets_no_hairpin_test()
    {
        using var seams = new DiagnoseSeams
        {
            Gateways = [Home.PublicHostGateway],
            Checker = new CheckerFake(),
            Connector = new FakeTcpConnector().Accept("11.0.0.2:8080"),
        };

        var report = await seams.RunAsync(new DiagnoseOptions { Port = 8080 });

        Assert.Equal("network:Info public-host:Info listener:Info public-address:Info reachable:Info", FindingAssert.Ids(report.Findings));
        Assert.Empty(seams.Connector.Attempts);
        Assert.Equal(ExitCodes.Success, report.ExitCode);
    }
}
