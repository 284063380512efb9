using System.Globalization;
using System.Text.RegularExpressions;
using PortDoctor.Integration.Tests.Harness;

namespace PortDoctor.Integration.Tests;

/// <summary>
/// Issue "steps as they happen": Ctrl+C during <c>open</c>, after the router mapped the port and while the outside
/// check hangs, prints the steps so far, the mapping PortDoctor now holds and the exact <c>close</c> command, and exits 130.
/// </summary>
[Collection(TestbedSerialGroup.Name)]
public sealed partial class InterruptTests
{
    /// <summary>Where the silent "checker" listens on the internet host: it accepts and never answers.</summary>
    private const int SilentCheckerPort = 9099;

    [GeneratedRegex(@"^PD_PID=(\d+)$", RegexOptions.Multiline)]
    private static partial Regex PidLine();

    [GeneratedRegex(@"^EXIT=(\d+)$", RegexOptions.Multiline)]
    private static partial Regex ExitLine();

    [Fact]
    public async Task Sigint_during_open_names_the_held_mapping_and_the_close_command_and_exits_130()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        string name = "h2" + Guid.NewGuid().ToString("N")[..6];
        await using var tb = await Testbed.UpAsync("home", name: name);
        using var pd = new PortDoctorRun(tb);
        await tb.StartHttpServerAsync(Host.Pc, "0.0.0.0", 8080);
        const string Silent = """
            import socket, sys, time
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(8)
            held = []
            while True:
                held.append(s.accept())
            """;
        await tb.StartBackgroundAsync(Host.Inet, "python3", "-c", Silent, tb.InetIp, SilentCheckerPort.ToString(CultureInfo.InvariantCulture));
        await tb.WaitForTcpAsync(Host.Inet, tb.InetIp, SilentCheckerPort, TestbedTestHelpers.ServerStartTimeout);

        // As in KeepTests: a background job of a non-interactive shell ignores SIGINT; env gives portdoctor the default back.
        const string Wrapper = """set -m; env --default-signal=INT "$@" & c=$!; echo "PD_PID=$c"; wait "$c"; echo "EXIT=$?" """;
        var open = await tb.StartBackgroundAsync(Host.Pc, "bash", "-c", Wrapper, "open",
            RepoPaths.PortDoctorBinary, "open", "8080", "--checker", $"http://{tb.InetIp}:{SilentCheckerPort}", "--state-dir", pd.StateDir, "--lang", "en");

        // Printed as it happens: the mapping line is out while the check still waits for the silent checker.
        await WaitForAsync(() => open.ReadLog().Contains("[done]    Router forwards 8080/tcp", StringComparison.Ordinal), TimeSpan.FromSeconds(30), open);
        Assert.DoesNotMatch(ExitLine(), open.ReadLog());
        int pid = int.Parse(PidLine().Match(open.ReadLog()).Groups[1].Value, CultureInfo.InvariantCulture);
        (await ProcessRunner.RunAsync("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).EnsureSuccess();
        await WaitForAsync(() => ExitLine().IsMatch(open.ReadLog()), TimeSpan.FromSeconds(10), open);

        string log = open.ReadLog();
        Assert.True(ExitLine().Match(log).Groups[1].Value == "130", log);
        Assert.Contains("[ok]      Port 8080 is in the recommended range", log, StringComparison.Ordinal);
        Assert.Matches(@"held\s+mapping 8080/tcp → " + Regex.Escape(tb.PcIp) + ":8080", log);
        Assert.Contains($"Remove it with: portdoctor close 8080 --state-dir {pd.StateDir}", log, StringComparison.Ordinal);
        Assert.Contains("Interrupted (Ctrl+C)", log, StringComparison.Ordinal);
        Assert.DoesNotContain("REACHABLE", log, StringComparison.Ordinal);
        Assert.NotEmpty(await tb.RouterMappingRulesAsync());

        // The command it named removes exactly that.
        var close = await pd.RunAsync("close", "8080");
        Assert.True(close.ExitCode == 0, close.ToString());
        Assert.Empty(await tb.RouterMappingRulesAsync());
    }

    [Fact]
    public async Task Sigint_under_keep_still_removes_the_mapping_and_exits_0_printing_each_open_step_once()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        string name = "h2" + Guid.NewGuid().ToString("N")[..6];
        await using var tb = await Testbed.UpAsync("home", name: name);
        using var pd = new PortDoctorRun(tb);
        const string Wrapper = """set -m; env --default-signal=INT "$@" & c=$!; echo "PD_PID=$c"; wait "$c"; echo "EXIT=$?" """;
        var keep = await tb.StartBackgroundAsync(Host.Pc, "bash", "-c", Wrapper, "keep",
            RepoPaths.PortDoctorBinary, "open", "8080", "--keep", "--no-check", "--state-dir", pd.StateDir, "--lang", "en");

        await WaitForAsync(() => keep.ReadLog().Contains("Keeping 8080/tcp open via", StringComparison.Ordinal), TimeSpan.FromSeconds(30), keep);
        int pid = int.Parse(PidLine().Match(keep.ReadLog()).Groups[1].Value, CultureInfo.InvariantCulture);
        (await ProcessRunner.RunAsync("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).EnsureSuccess();
        await WaitForAsync(() => ExitLine().IsMatch(keep.ReadLog()), TimeSpan.FromSeconds(10), keep);

        string log = keep.ReadLog();
        Assert.True(ExitLine().Match(log).Groups[1].Value == "0", log);
        Assert.Contains("8080/tcp: removed from the router", log, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(log, "Router forwards 8080/tcp"));
        Assert.DoesNotContain("Interrupted", log, StringComparison.Ordinal);
        Assert.Empty(await tb.RouterMappingRulesAsync());
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan limit, BackgroundProcess process)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {limit.TotalSeconds:0} s; log:\n{process.ReadLog()}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
