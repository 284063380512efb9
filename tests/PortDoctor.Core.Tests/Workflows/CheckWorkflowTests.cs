using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Reachability;
using PortDoctor.Core.Reports;
using PortDoctor.Core.Tests.Fakes;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Tests.Workflows;

/// <summary><c>check</c>: what the verdict and exit code say when the checker answers, says no, or cannot be asked.</summary>
public sealed class CheckWorkflowTests
{
    private static readonly CheckerError Refused = new(CheckerErrorKind.Unreachable, "http://11.0.0.1:8088/",
        Text.Of("Checker.Err.Unreachable", "Connection refused"), Text.Of("Checker.Fix.Unreachable"));

    private static Task<CommandReport> RunAsync(ICheckerClient? checker) => new CheckWorkflow(new WorkflowContext
    {
        FindGateways = _ => [],
        PortOwners = new FakeOwners(listening: true),
        GatewayProbe = new FakeProbe(),
        MapperFactory = new FakeFactory(new FakeMapper()),
        Journal = new PortDoctor.Core.Journal.ChangeJournal(Path.Combine(Path.GetTempPath(), "pd-check-" + Guid.NewGuid().ToString("N"))),
        Checker = checker,
        HostResolver = new FakeHostResolver(),
        TcpConnector = new FakeTcpConnector(),
    }).RunAsync(8080, TransportProtocol.Tcp, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Reachable_exits_0()
    {
        CommandReport report = await RunAsync(new FakeChecker(ReachabilityState.Open));
        Assert.Equal((Verdict.Reachable, ExitCodes.Success), (report.Verdict, report.ExitCode));
    }

    [Fact]
    public async Task A_checker_that_cannot_be_asked_leaves_the_answer_unknown_not_unreachable()
    {
        CommandReport report = await RunAsync(new FakeChecker(ReachabilityState.Open, error: Refused));

        Assert.Equal((Verdict.Unconfirmed, ExitCodes.Environment), (report.Verdict, report.ExitCode));
        Assert.Equal("Check.Summary.CouldNotRun", report.Summary.Key);
        Assert.Equal(StepStatus.Failed, report.Steps.Single(s => s.Id == "check.tcp").Status);
    }

    [Fact]
    public async Task No_checker_named_is_an_environment_problem_too()
    {
        CommandReport report = await RunAsync(null);
        Assert.Equal((Verdict.Unconfirmed, ExitCodes.Environment), (report.Verdict, report.ExitCode));
    }

    [Fact]
    public async Task A_checker_that_saw_the_port_filtered_says_not_reachable_exit_1()
    {
        CommandReport report = await RunAsync(new FakeChecker(ReachabilityState.Filtered));
        Assert.Equal((Verdict.NotReachable, ExitCodes.NotReachable), (report.Verdict, report.ExitCode));
        Assert.Equal("Check.Filtered", report.Steps.Single(s => s.Id == "check.tcp").Message.Key);
    }

    [Theory]
    [InlineData(CheckerKind.Transmission)]
    [InlineData(CheckerKind.EchoIp)]
    public async Task A_yes_no_checker_saying_no_does_not_claim_that_nothing_answered(CheckerKind kind)
    {
        CommandReport report = await RunAsync(new FakeChecker(ReachabilityState.Filtered, kind));

        Assert.Equal((Verdict.NotReachable, ExitCodes.NotReachable), (report.Verdict, report.ExitCode));
        Text message = report.Steps.Single(s => s.Id == "check.tcp").Message;
        Assert.Equal("Check.NotReachableYesNo", message.Key);
        Assert.DoesNotContain("no answer", Localizer.Format(message, UiLanguage.English), StringComparison.Ordinal);
        Assert.DoesNotContain("応答がありません", Localizer.Format(message, UiLanguage.Japanese), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_checkers_problem_and_fix_are_in_the_users_language()
    {
        CommandReport report = await RunAsync(new FakeChecker(ReachabilityState.Open, error: Refused));

        string ja = Localizer.Format(report.Steps.Single(s => s.Id == "check.tcp").Message, UiLanguage.Japanese);
        Assert.Contains("チェッカーに接続できませんでした（Connection refused）", ja, StringComparison.Ordinal);
        Assert.DoesNotContain("Check the checker URL", ja, StringComparison.Ordinal);
    }
}
