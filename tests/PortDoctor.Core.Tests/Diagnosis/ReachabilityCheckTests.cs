using System.Net;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Diagnosis.Checks;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Core.Tests.Diagnosis;

public sealed class ReachabilityCheckTests
{
    private static readonly CheckerEndpoint Checker = new(CheckerKind.PortDoctor, new Uri("http://11.0.0.1:8088/"));

    public static TheoryData<string, string, bool, string, string?> Cases => new()
    {
        // name, outcome (none|error|open|closed|filtered), temporary responder, expected, message key
        { "no checker named", "none", false, "no-checker:Warning", "Check.NoChecker" },
        { "checker could not be asked", "error", false, "no-checker:Warning", "Check.CouldNotRun" },
        { "reachable", "open", false, "reachable:Info", "Diag.Reachable" },
        { "reachable through the responder", "open", true, "reachable:Info", "Diag.ReachableViaResponder" },
        { "refused", "closed", false, "not-reachable:Fault", "Diag.NotReachableClosed" },
        { "silence", "filtered", false, "not-reachable:Fault", "Diag.NotReachableFiltered" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reports_the_outside_check(string name, string outcome, bool responder, string expected, string? key)
    {
        ReachabilityReport? report = outcome switch
        {
            "none" => null,
            "error" => new ReachabilityReport(8080, TransportProtocol.Tcp, Checker, null, null, false, null, false, null, null,
                new CheckerError(CheckerErrorKind.Timeout, Checker.ToString(), Text.Of("Checker.Err.Timeout", "5"), Text.Of("Checker.Fix.Unreachable"))),
            _ => new ReachabilityReport(8080, TransportProtocol.Tcp, Checker, Enum.Parse<ReachabilityState>(outcome, ignoreCase: true), 1.5, true,
                IPAddress.Parse("11.0.0.2"), responder, responder ? true : null, null, null),
        };
        var f = new FindingList();

        ReachabilityCheck.Report(f, new DiagnoseOptions { Port = 8080 }, report);

        Assert.True(expected == FindingAssert.Ids(f), $"{name}: {FindingAssert.Ids(f)}");
        Assert.Equal(key, f.Items[0].Message.Key);
        Assert.Equal(outcome == "open", ReachabilityCheck.IsReachable(report));
        Assert.Equal(outcome is "none" ? "<none>" : responder ? "true" : "false", FindingAssert.Evidence(f.Items[0], "temporaryResponder"));
    }

    [Fact]
    public async Task Without_a_port_nothing_is_checked_or_reported()
    {
        var checker = new CheckerFake();
        Assert.Null(await ReachabilityCheck.RunAsync(checker, new DiagnoseOptions(), listens: true, TestContext.Current.CancellationToken));
        Assert.Equal(0, checker.Checks);
        var f = new FindingList();
        ReachabilityCheck.Report(f, new DiagnoseOptions(), null);
        Assert.Empty(f.Items);
    }

    [Fact]
    public async Task The_checker_is_asked_about_the_port()
    {
        var checker = new CheckerFake { Result = new CheckerCheckResult(ReachabilityState.Closed, 2, null, true, null) };
        var report = await ReachabilityCheck.RunAsync(checker, new DiagnoseOptions { Port = 8080 }, listens: true, TestContext.Current.CancellationToken);
        Assert.Equal((ReachabilityState.Closed, false, 1), (report!.State, report.TemporaryResponderUsed, checker.Checks));
    }
}
