using System.Globalization;
using PortDoctor.Integration.Tests.Harness;

namespace PortDoctor.Integration.Tests;

/// <summary>Teardown leaves nothing behind, and testbeds do not collide.</summary>
[Collection(TestbedSerialGroup.Name)]
public sealed class TestbedLifecycleTests
{
    private static readonly string[] Roles = ["pc", "router", "upstream", "inet"];

    [Fact]
    public async Task Down_removes_every_namespace_and_process_of_the_testbed()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        var tb = await Testbed.UpAsync("home", "python3 -m http.server 8088 --bind 11.0.0.1");
        List<int> pids;
        try
        {
            var sleeper = await tb.StartBackgroundAsync(Host.Router, "sleep", "600");
            Assert.True(sleeper.IsRunning);
            pids = Directory.GetFiles(Path.Combine(tb.RunDirectory, "pids"), "*.pid")
                .Select(f => int.Parse(File.ReadAllText(f).Trim(), CultureInfo.InvariantCulture))
                .ToList();
            // miniupnpd, the checker and the sleeper.
            Assert.Equal(3, pids.Count);
            Assert.All(pids, pid => Assert.True(new BackgroundProcess(pid, "").IsRunning, $"pid {pid} not running"));
            Assert.All(Roles.Where(r => r != "upstream"), r => Assert.True(File.Exists($"/run/netns/pd-{tb.Name}-{r}")));
        }
        finally
        {
            await tb.DisposeAsync();
        }

        Assert.All(Roles, r => Assert.False(File.Exists($"/run/netns/pd-{tb.Name}-{r}"), $"namespace pd-{tb.Name}-{r} left"));
        Assert.All(pids, pid => Assert.False(new BackgroundProcess(pid, "").IsRunning, $"pid {pid} survived down"));
        Assert.False(Directory.Exists(tb.RunDirectory));
        var list = await ProcessRunnerForTests.ScriptAsync("list");
        Assert.DoesNotContain(tb.Name, list.StandardOutput.Split('\n'), StringComparer.Ordinal);

        // down is idempotent.
        var again = await ProcessRunnerForTests.ScriptAsync("down", tb.Name);
        Assert.True(again.Succeeded, again.ToString());
    }

    [Fact]
    public async Task A_failed_up_tears_down_what_it_built()
    {
        TestbedRequirements.SkipUnlessAvailable();
        var name = "f" + Guid.NewGuid().ToString("N")[..8];

        // The checker exits at once, so up fails after namespaces and miniupnpd exist.
        var up = await ProcessRunnerForTests.ScriptAsync("up", "home", "--name", name, "--checker-cmd", "false");

        Assert.False(up.Succeeded);
        Assert.Contains("checker exited", up.StandardError, StringComparison.Ordinal);
        Assert.All(Roles, r => Assert.False(File.Exists($"/run/netns/pd-{name}-{r}"), $"namespace pd-{name}-{r} left"));
        Assert.False(Directory.Exists($"/run/portdoctor-testbed/{name}"));
        var miniupnpd = await ProcessRunnerForTests.RunAsync("pgrep", "-f", $"/run/portdoctor-testbed/{name}/");
        Assert.Equal(1, miniupnpd.ExitCode);
    }

    [Fact]
    public async Task Two_testbeds_can_be_up_at_once_without_seeing_each_other()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        await using var first = await Testbed.UpAsync("home");
        await using var second = await Testbed.UpAsync("home");

        Assert.NotEqual(first.Name, second.Name);
        Assert.NotEqual(first.PcNamespace, second.PcNamespace);

        var map = await first.UpnpcAsync("-e", "first", "-a", first.PcIp, "8080", "8080", "TCP");
        Assert.True(map.Succeeded, map.ToString());

        var secondList = await second.UpnpcAsync("-l");
        Assert.Contains($"desc: http://{second.RouterLanIp}:5000/rootDesc.xml", secondList.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("'first'", secondList.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(await second.RouterMappingRulesAsync());
        Assert.NotEmpty(await first.RouterMappingRulesAsync());
    }
}

/// <summary>Runs testbed.sh (or a plain tool) directly for the lifecycle checks.</summary>
internal static class ProcessRunnerForTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<CommandResult> ScriptAsync(params string[] args) =>
        ProcessRunner.RunAsync("bash", [RepoPaths.TestbedScript, .. args], Timeout, TestContext.Current.CancellationToken);

    public static Task<CommandResult> RunAsync(string file, params string[] args) =>
        ProcessRunner.RunAsync(file, args, Timeout, TestContext.Current.CancellationToken);
}
