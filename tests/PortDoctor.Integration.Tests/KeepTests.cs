using System.Globalization;
using System.Text.RegularExpressions;
using PortDoctor.Integration.Tests.Harness;

namespace PortDoctor.Integration.Tests;

/// <summary>
/// Issue "mappings kept alive": <c>open --keep</c> in the foreground re-creates the mapping after the router restarts
/// (miniupnpd killed, its chains and leases flushed, started again with epoch 0) and removes it on SIGINT.
/// </summary>
[Collection(TestbedSerialGroup.Name)]
public sealed partial class KeepTests
{
    /// <summary>Keep asks the router every 15 s; a restart is noticed at the next check, plus the re-creation round trip.</summary>
    private static readonly TimeSpan RecreateWithin = TimeSpan.FromSeconds(45);

    [GeneratedRegex(@"^PD_PID=(\d+)$", RegexOptions.Multiline)]
    private static partial Regex PidLine();

    [GeneratedRegex(@"^EXIT=(\d+)$", RegexOptions.Multiline)]
    private static partial Regex ExitLine();

    [Fact]
    public async Task Keep_recreates_the_mapping_after_a_router_restart_and_removes_it_on_sigint()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        await using var tb = await Testbed.UpAsync("home", PortDoctorRun.CheckerCommand);
        using var pd = new PortDoctorRun(tb);
        await tb.StartHttpServerAsync(Host.Pc, "0.0.0.0", 8080);

        // testbed.sh bg starts the wrapper as an '&' job of a non-interactive shell, which ignores SIGINT, and an
        // ignored-at-start SIGINT stays ignored in every child: env --default-signal=INT gives portdoctor the
        // default disposition back, as in a terminal. The wrapper reports portdoctor's pid and exit code.
        const string Wrapper = """set -m; env --default-signal=INT "$@" & c=$!; echo "PD_PID=$c"; wait "$c"; echo "EXIT=$?" """;
        var keep = await tb.StartBackgroundAsync(Host.Pc, "bash", "-c", Wrapper, "keep",
            RepoPaths.PortDoctorBinary, "open", "8080", "--keep", "--lease", "2m", "--no-check", "--state-dir", pd.StateDir, "--lang", "en");

        await WaitForAsync(() => keep.ReadLog().Contains("Keeping 8080/tcp open via PCP", StringComparison.Ordinal), TimeSpan.FromSeconds(20), keep);
        int pid = int.Parse(PidLine().Match(keep.ReadLog()).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Contains("Directory listing", await tb.HttpGetAsync(Host.Inet, $"http://{tb.RouterWanIp}:8080/"), StringComparison.Ordinal);

        (await ProcessRunner.RunAsync("bash", [RepoPaths.TestbedScript, "restart-router", tb.Name], TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).EnsureSuccess();
        Assert.Empty(await tb.RouterMappingRulesAsync());

        await WaitForAsync(() => keep.ReadLog().Contains("8080/tcp: re-created", StringComparison.Ordinal), RecreateWithin, keep);
        Assert.NotEmpty(await tb.RouterMappingRulesAsync());
        Assert.Contains("Directory listing", await tb.HttpGetAsync(Host.Inet, $"http://{tb.RouterWanIp}:8080/"), StringComparison.Ordinal);

        (await ProcessRunner.RunAsync("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).EnsureSuccess();
        await WaitForAsync(() => ExitLine().IsMatch(keep.ReadLog()), TimeSpan.FromSeconds(10), keep);

        string log = keep.ReadLog();
        Assert.Equal("0", ExitLine().Match(log).Groups[1].Value);
        Assert.Contains("8080/tcp: removed from the router", log, StringComparison.Ordinal);
        Assert.Empty(await tb.RouterMappingRulesAsync());
        Assert.False(await tb.CanConnectTcpAsync(Host.Inet, tb.RouterWanIp, 8080, TestbedTestHelpers.BlockedConnectTimeout));
        Assert.Contains("nothing to close", (await pd.RunAsync("close", "8080")).StandardOutput, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan limit, BackgroundProcess process)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {limit.TotalSeconds:0} s; keep log:\n{process.ReadLog()}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
