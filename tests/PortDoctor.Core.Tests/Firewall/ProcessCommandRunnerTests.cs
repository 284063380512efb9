using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Tests.Firewall;

public class ProcessCommandRunnerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    private static void RequireUnix()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Assert.Skip("uses /bin/sh");
        }
    }

    [Fact]
    public async Task Captures_stdout_stderr_and_a_failing_exit_code()
    {
        RequireUnix();
        var result = await ProcessCommandRunner.Instance.RunAsync(
            new CommandRequest("/bin/sh", ["-c", "printf 'out ü'; printf 'err' >&2; exit 3"], Generous), CancellationToken.None);
        Assert.Equal(CommandStatus.Exited, result.Status);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out ü", result.StandardOutput);
        Assert.Equal("err", result.StandardError);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Arguments_are_not_shell_parsed_and_stdin_and_environment_are_passed()
    {
        RequireUnix();
        var request = new CommandRequest("/bin/sh", ["-c", "cat; printf '|%s|%s' \"$1\" \"$PD_TEST\"", "sh", "a b; rm -rf /tmp/nothing"], Generous)
        {
            StandardInput = "from stdin",
            Environment = new Dictionary<string, string> { ["PD_TEST"] = "env ok" },
        };
        var result = await ProcessCommandRunner.Instance.RunAsync(request, CancellationToken.None);
        Assert.Equal("from stdin|a b; rm -rf /tmp/nothing|env ok", result.StandardOutput);
    }

    [Fact]
    public async Task A_missing_program_is_not_installed_rather_than_an_exception()
    {
        var result = await ProcessCommandRunner.Instance.RunAsync(
            new CommandRequest("portdoctor-no-such-tool-4711", [], Generous), CancellationToken.None);
        Assert.Equal(CommandStatus.NotInstalled, result.Status);
        Assert.Equal(-1, result.ExitCode);
    }

    [Fact]
    public async Task A_hung_program_is_killed_and_reported_as_a_timeout()
    {
        RequireUnix();
        var started = DateTime.UtcNow;
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => ProcessCommandRunner.Instance.RunAsync(
            new CommandRequest("/bin/sh", ["-c", "sleep 30"], TimeSpan.FromMilliseconds(300)), CancellationToken.None));
        Assert.Contains("sleep 30", ex.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Caller_cancellation_is_rethrown_untouched()
    {
        RequireUnix();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProcessCommandRunner.Instance.RunAsync(
            new CommandRequest("/bin/sh", ["-c", "sleep 30"], Generous), cts.Token));
        Assert.Equal(cts.Token, ex.CancellationToken);
    }
}
