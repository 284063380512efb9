using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PortDoctor.Core.Journal;
using PortDoctor.Integration.Tests.Harness;

namespace PortDoctor.Integration.Tests;

/// <summary>
/// Issue "nothing left behind": the real portdoctor is killed (SIGKILL) at every step of journaling a change
/// — at a named crash point, or at a random moment — and <c>portdoctor undo</c> must then bring the real
/// router back to exactly its state before <c>open</c>, whether or not the mapping got made.
/// Reproduce a run with <c>PORTDOCTOR_CRASH_SEED=S</c> (and <c>PORTDOCTOR_CRASH_TRIALS=N</c>).
/// </summary>
[Collection(TestbedSerialGroup.Name)]
public sealed partial class CrashTests
{
    /// <summary>The fewest trials a run must complete.</summary>
    private const int MinTrials = 100;

    /// <summary>No new trial starts after this: a trial takes about 3 s, so 100 trials fit with room to spare.</summary>
    private static readonly TimeSpan TrialBudget = TimeSpan.FromMinutes(8);

    /// <summary>Random kills land up to this long after their anchor (process start or first journal write).</summary>
    private const int MaxKillDelayMs = 400;

    /// <summary>A portdoctor open or undo that takes longer is hung: discovery plus a few SOAP calls take about 2 s.</summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A mapping that is not PortDoctor's, present through every trial: undo must leave it alone.</summary>
    private const int BystanderPort = 9999;

    /// <summary>
    /// The ways <c>open</c> is run. Trials pick one at random; each variant gets one testbed, built on first use
    /// and reused. The UPnP path runs in <c>upnp-only</c> so that the probe cannot pick NAT-PMP/PCP instead.
    /// NAT-PMP/PCP or firewall scenarios join here (for a variant without UPnP, set
    /// <see cref="CrashScenario.UpnpListing"/> false: the router's nft rules are compared alone); those not
    /// <see cref="CrashScenario.OnByDefault"/> run only when named in <c>PORTDOCTOR_CRASH_SCENARIOS</c>
    /// (comma-separated names, or <c>all</c>).
    /// </summary>
    internal static readonly IReadOnlyList<CrashScenario> Scenarios =
    [
        new("upnp", "upnp-only", _ => []),
        new("upnp --gateway", "upnp-only", tb => ["--gateway", tb.RouterLanIp]),
        new("upnp --lease permanent", "upnp-only", _ => ["--lease", "permanent"]),
        new("home: probe's choice (pcp)", "home", _ => []),
        new("natpmp-only: pcp or natpmp", "natpmp-only", _ => [], UpnpListing: false),
        new("host-firewall: firewall rule and mapping", "host-firewall", _ => []),
    ];

    /// <summary>The test-only hook in PortDoctor.Core (Journal/CrashPoints.cs), used as a black box: the variable and
    /// its points are a contract, and a name that drifted would make open finish instead of dying (asserted).</summary>
    private const string CrashVariable = "PORTDOCTOR_TEST_CRASH_AT";

    private static readonly IReadOnlyList<string> CrashPointNames = ["intent-torn", "intent-written", "before-send", "after-send", "done-written"];

    /// <summary>How each trial's open is ended: a named crash point (SIGKILL from inside) or a kill from outside.</summary>
    internal static readonly IReadOnlyList<string> Endings =
    [
        .. CrashPointNames,
        KillAfterStart,
        KillAfterIntent,
    ];

    internal static readonly IReadOnlyList<string> Protocols = ["tcp", "udp", "both"];

    private const string KillAfterStart = "kill@start";
    private const string KillAfterIntent = "kill@intent";

    [Fact(Timeout = 20 * 60 * 1000)]
    public async Task Undo_after_a_SIGKILL_anywhere_in_open_returns_the_router_to_its_state_before_open()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        var log = TestContext.Current.TestOutputHelper;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("PORTDOCTOR_CRASH_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) ? s : Random.Shared.Next();
        int target = int.TryParse(Environment.GetEnvironmentVariable("PORTDOCTOR_CRASH_TRIALS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : MinTrials;
        log?.WriteLine($"crash test: seed {seed}, {target} trials planned (PORTDOCTOR_CRASH_SEED={seed} reproduces the choices)");

        var scenarios = ChosenScenarios();
        log?.WriteLine($"scenarios: {string.Join(", ", scenarios.Select(s => $"'{s.Name}' ({s.Variant})"))}");
        var rng = new Random(seed);
        var testbeds = new Dictionary<string, TrialRunner>(StringComparer.Ordinal);
        var stats = new Dictionary<string, int>(StringComparer.Ordinal);
        int leftBehind = 0;
        int trial = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            for (; trial < target && clock.Elapsed < TrialBudget; trial++)
            {
                TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
                var scenario = scenarios[rng.Next(scenarios.Count)];
                if (!testbeds.TryGetValue(scenario.Variant, out var runner))
                {
                    runner = await TrialRunner.StartAsync(scenario.Variant, scenario.UpnpListing);
                    testbeds[scenario.Variant] = runner;
                }

                string protocol = Protocols[rng.Next(Protocols.Count)];
                string ending = Endings[rng.Next(Endings.Count)];
                int mappings = protocol == "both" ? 2 : 1;
                var plan = new TrialPlan(
                    seed, trial, scenario, protocol, Port: 20000 + rng.Next(10000), ending,
                    Occurrence: 1 + rng.Next(mappings),
                    KillDelayMs: rng.Next(MaxKillDelayMs + 1));

                var outcome = await runner.RunAsync(plan);
                string key = ending + (outcome.MappingSurvivedCrash ? " (mapping left on router)" : "");
                stats[key] = stats.GetValueOrDefault(key) + 1;
                leftBehind += outcome.MappingSurvivedCrash ? 1 : 0;
                log?.WriteLine($"trial {trial}: {plan.Describe()} → open exit {outcome.OpenExit}{(outcome.KilledFromOutside ? " (killed)" : "")}, " +
                    $"router {(outcome.MappingSurvivedCrash ? "held a mapping" : "held nothing new")} after the crash, undo exit 0, router as before");
            }

            log?.WriteLine($"crash test: seed {seed}, {trial} trials in {clock.Elapsed.TotalSeconds:0} s; " + string.Join(", ", stats.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {kv.Value}")));
            Assert.True(trial >= Math.Min(target, MinTrials),
                $"seed {seed}: only {trial} trials fit in {TrialBudget.TotalMinutes:0} min (need {MinTrials}); a trial should take ~3 s");
            Assert.True(leftBehind > 0 && leftBehind < trial,
                $"seed {seed}: the crashes should leave a mapping behind in some trials and none in others; {leftBehind} of {trial} left one");

            foreach (var runner in testbeds.Values)
            {
                await runner.FinishCleanAsync();
            }
        }
        finally
        {
            foreach (var runner in testbeds.Values)
            {
                await runner.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task After_a_crash_status_lists_the_pending_permanent_mapping_and_undo_clears_it()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        await using var tb = await Testbed.UpAsync("upnp-only");
        using var pd = new PortDoctorRun(tb);
        try
        {
            var open = await RunWithCrashAsync(tb, "after-send", ["open", "23456", "--lease", "permanent", "--no-check", "--state-dir", pd.StateDir]);
            Assert.True(open.ExitCode == 137, open.ToString());
            Assert.NotEmpty(await tb.RouterMappingRulesAsync());

            var (status, json) = await pd.RunJsonAsync("status");
            Assert.True(status.ExitCode == 0, status.ToString());
            var held = Assert.Single(json.GetProperty("held").EnumerateArray());
            Assert.Equal("pending", held.GetProperty("state").GetString());
            Assert.Equal(23456, held.GetProperty("externalPort").GetInt32());
            Assert.Equal(0, held.GetProperty("leaseSeconds").GetInt64());
            var text = await pd.RunAsync("status", "--lang", "en");
            Assert.Matches(@"pending\s+mapping 23456/tcp .* lease permanent", text.StandardOutput);

            var undo = await pd.RunAsync("undo");
            Assert.True(undo.ExitCode == 0, undo.ToString());
            var (_, after) = await pd.RunJsonAsync("status");
            Assert.Empty(after.GetProperty("held").EnumerateArray());
        }
        finally
        {
            await pd.RunAsync("undo");
        }

        Assert.Empty(await tb.RouterMappingRulesAsync());
    }

    /// <summary>Runs portdoctor in the PC with the crash hook armed at <paramref name="crashAt"/>.</summary>
    private static async Task<CommandResult> RunWithCrashAsync(Testbed tb, string crashAt, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in (string[])["netns", "exec", tb.PcNamespace, RepoPaths.PortDoctorBinary, .. args])
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment[CrashVariable] = crashAt;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start portdoctor");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CommandResult($"{CrashVariable}={crashAt} portdoctor {string.Join(' ', args)}", process.ExitCode, await stdout, await stderr);
    }

    /// <summary>One way of running <c>open</c>.</summary>
    /// <param name="Name">For messages.</param>
    /// <param name="Variant">The testbed variant (see testbed/README.md).</param>
    /// <param name="ExtraArgs">Arguments added to <c>portdoctor open</c>.</param>
    /// <param name="UpnpListing">Whether the router's UPnP table (upnpc -l) is part of its state.</param>
    /// <param name="OnByDefault">Whether it runs without being named in <c>PORTDOCTOR_CRASH_SCENARIOS</c>.</param>
    internal sealed record CrashScenario(string Name, string Variant, Func<Testbed, IReadOnlyList<string>> ExtraArgs, bool UpnpListing = true, bool OnByDefault = true);

    /// <summary>The scenarios this run uses: <c>PORTDOCTOR_CRASH_SCENARIOS</c> (names or <c>all</c>), else the default ones.</summary>
    private static IReadOnlyList<CrashScenario> ChosenScenarios()
    {
        string? named = Environment.GetEnvironmentVariable("PORTDOCTOR_CRASH_SCENARIOS");
        if (string.IsNullOrWhiteSpace(named))
        {
            return [.. Scenarios.Where(s => s.OnByDefault)];
        }

        if (named.Trim() == "all")
        {
            return Scenarios;
        }

        var names = named.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = names.Where(n => !Scenarios.Any(s => s.Name == n)).ToList();
        Assert.True(unknown.Count == 0, $"PORTDOCTOR_CRASH_SCENARIOS names unknown scenario(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Scenarios.Select(s => s.Name))}");
        return [.. Scenarios.Where(s => names.Contains(s.Name, StringComparer.Ordinal))];
    }

    /// <summary>Everything one trial chose, so that any failure names it.</summary>
    internal sealed record TrialPlan(int Seed, int Trial, CrashScenario Scenario, string Protocol, int Port, string Ending, int Occurrence, int KillDelayMs)
    {
        public bool IsCrashPoint => CrashPointNames.Contains(Ending, StringComparer.Ordinal);

        public string CrashAt => Occurrence == 1 ? Ending : $"{Ending}:{Occurrence.ToString(CultureInfo.InvariantCulture)}";

        public string Describe() =>
            $"seed {Seed} trial {Trial} point {(IsCrashPoint ? CrashAt : $"{Ending}+{KillDelayMs}ms")} " +
            $"(scenario '{Scenario.Name}', open {Port}/{Protocol})";
    }

    /// <summary>What one trial saw.</summary>
    internal sealed record TrialOutcome(int OpenExit, bool KilledFromOutside, bool MappingSurvivedCrash);

    /// <summary>The router's state as the user could see it: miniupnpd's nft rules and its UPnP table.</summary>
    internal sealed record RouterState(IReadOnlyList<string> Rules, IReadOnlyList<string> Mappings, IReadOnlyList<string> PcFirewall)
    {
        public bool SameAs(RouterState other) => Rules.SequenceEqual(other.Rules, StringComparer.Ordinal)
            && Mappings.SequenceEqual(other.Mappings, StringComparer.Ordinal)
            && PcFirewall.SequenceEqual(other.PcFirewall, StringComparer.Ordinal);

        public string DiffFrom(RouterState before)
        {
            var text = new StringBuilder();
            Diff(text, "nft rule", before.Rules, Rules);
            Diff(text, "upnpc mapping", before.Mappings, Mappings);
            Diff(text, "PC firewall line", before.PcFirewall, PcFirewall);
            return text.Length == 0 ? "same entries, different order" : text.ToString();
        }

        private static void Diff(StringBuilder text, string what, IReadOnlyList<string> before, IReadOnlyList<string> after)
        {
            foreach (var added in after.Except(before, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  + {what} left behind: {added}");
            }

            foreach (var removed in before.Except(after, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  - {what} gone: {removed}");
            }
        }
    }

    /// <summary>One testbed, one state folder, one bystander mapping; runs trials in it.</summary>
    private sealed partial class TrialRunner : IAsyncDisposable
    {
        private readonly Testbed _tb;
        private readonly bool _upnpListing;
        private readonly string _stateDir;
        private bool _bystander;

        private TrialRunner(Testbed tb, bool upnpListing)
        {
            _tb = tb;
            _upnpListing = upnpListing;
            // One state folder for every trial: a torn tail left by one crash must be handled by the next run.
            _stateDir = Directory.CreateTempSubdirectory("pd-crash-state-").FullName;
        }

        private string DescriptionUrl => $"http://{_tb.RouterLanIp}:5000/rootDesc.xml";

        private string JournalPath => Path.Combine(_stateDir, ChangeJournal.FileName);

        public static async Task<TrialRunner> StartAsync(string variant, bool upnpListing)
        {
            var tb = await Testbed.UpAsync(variant);
            var runner = new TrialRunner(tb, upnpListing);
            try
            {
                if (upnpListing)
                {
                    // upnpc's default lease is 0 (permanent): the bystander outlives every trial.
                    (await runner.UpnpcAsync("-e", "crash-bystander", "-a", tb.PcIp, Num(BystanderPort), Num(BystanderPort), "TCP")).EnsureSuccess();
                    runner._bystander = true;
                    Assert.Contains(SnapshotMappings(await runner.UpnpcAsync("-l")), m => m.Contains("9999->", StringComparison.Ordinal));
                }
            }
            catch
            {
                await runner.DisposeAsync();
                throw;
            }

            return runner;
        }

        public async Task<TrialOutcome> RunAsync(TrialPlan plan)
        {
            var before = await SnapshotAsync();
            var (open, killed) = await RunOpenAsync(plan);
            if (plan.IsCrashPoint)
            {
                // 137 = 128 + SIGKILL: the hook fired where it was told to (a typo would let open finish with 0).
                Assert.True(open.ExitCode == 137, $"{plan.Describe()}: open did not die at its crash point.\n{open}");
            }
            else if (!killed)
            {
                Assert.True(open.ExitCode == 0, $"{plan.Describe()}: open finished before the kill but failed.\n{open}");
            }

            var crashed = await SnapshotAsync();
            bool survived = !crashed.SameAs(before);

            var undo = await _tb.ExecWithTimeoutAsync(Host.Pc, CommandTimeout, RepoPaths.PortDoctorBinary, "undo", "--state-dir", _stateDir);
            var after = await SnapshotAsync();
            Assert.True(undo.ExitCode == 0, $"{plan.Describe()}: undo exited {undo.ExitCode}.\n{undo}\njournal:\n{JournalTail()}");
            Assert.True(after.SameAs(before),
                $"{plan.Describe()}: after undo the router differs from before open:{after.DiffFrom(before)}\n" +
                $"after the crash it had:{crashed.DiffFrom(before)}\nopen: {open}\nundo: {undo}\njournal:\n{JournalTail()}");
            var outstanding = new ChangeJournal(_stateDir).Outstanding();
            Assert.True(outstanding.Count == 0, $"{plan.Describe()}: the journal still lists {outstanding.Count} change(s) after undo:\n{JournalTail()}");
            return new TrialOutcome(open.ExitCode, killed, survived);
        }

        /// <summary>Removes the bystander and proves the router holds no mapping at all.</summary>
        public async Task FinishCleanAsync()
        {
            await RemoveBystanderAsync();
            Assert.Empty(await _tb.RouterMappingRulesAsync());
            if (_upnpListing)
            {
                Assert.Empty(SnapshotMappings(await UpnpcAsync("-l")));
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                // Best effort after a failure: whatever the journal still lists, and the bystander. The testbed
                // goes either way, and the test's own failure is the one worth reporting.
                await _tb.ExecWithTimeoutAsync(Host.Pc, CommandTimeout, RepoPaths.PortDoctorBinary, "undo", "--state-dir", _stateDir);
                await RemoveBystanderAsync();
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"cleanup after the trials: {ex.Message}");
            }
            finally
            {
                await _tb.DisposeAsync();
                try
                {
                    Directory.Delete(_stateDir, recursive: true);
                }
                catch (IOException)
                {
                    // A temp folder.
                }
            }
        }

        private async Task RemoveBystanderAsync()
        {
            if (_bystander)
            {
                (await UpnpcAsync("-d", Num(BystanderPort), "TCP")).EnsureSuccess();
                _bystander = false;
            }
        }

        private async Task<(CommandResult Result, bool Killed)> RunOpenAsync(TrialPlan plan)
        {
            List<string> args =
            [
                "netns", "exec", _tb.PcNamespace, RepoPaths.PortDoctorBinary,
                "open", Num(plan.Port), "--protocol", plan.Protocol, "--no-check", "--state-dir", _stateDir,
                .. plan.Scenario.ExtraArgs(_tb),
            ];
            var psi = new ProcessStartInfo("ip")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            args.ForEach(psi.ArgumentList.Add);
            psi.Environment.Remove(CrashVariable);
            if (plan.IsCrashPoint)
            {
                psi.Environment[CrashVariable] = plan.CrashAt;
            }

            long journalBefore = File.Exists(JournalPath) ? new FileInfo(JournalPath).Length : 0;
            string commandLine = (plan.IsCrashPoint ? $"{CrashVariable}={plan.CrashAt} " : "") + "ip " + string.Join(' ', args);
            var ct = TestContext.Current.CancellationToken;
            using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start `{commandLine}`");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            bool killed = false;
            try
            {
                if (!plan.IsCrashPoint)
                {
                    if (plan.Ending == KillAfterIntent)
                    {
                        // Anchor on the first journal write: process start and discovery take ~1 s, the change itself
                        // (intent, SOAP calls, done) the next ~0.1–0.6 s, which is what the random delay should cover.
                        var deadline = Stopwatch.StartNew();
                        while (!process.HasExited && deadline.Elapsed < CommandTimeout
                            && (!File.Exists(JournalPath) || new FileInfo(JournalPath).Length == journalBefore))
                        {
                            await Task.Delay(2, ct);
                        }
                    }

                    await Task.Delay(plan.KillDelayMs, ct);
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                        killed = true;
                    }
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(CommandTimeout);
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                Assert.Fail($"{plan.Describe()}: `{commandLine}` hung for {CommandTimeout.TotalSeconds:0} s\n{await stdout}\n{await stderr}");
            }

            return (new CommandResult(commandLine, process.ExitCode, await stdout, await stderr), killed);
        }

        private async Task<RouterState> SnapshotAsync()
        {
            var rules = await _tb.RouterMappingRulesAsync();
            IReadOnlyList<string> mappings = _upnpListing ? SnapshotMappings(await UpnpcAsync("-l")) : [];
            // The PC's own ruleset, without counters (they move with traffic): firewall steps must be undone too.
            var pcRuleset = await _tb.ExecAsync(Host.Pc, "nft", "list", "ruleset");
            IReadOnlyList<string> pcFirewall = [.. pcRuleset.StandardOutput.Split('\n')
                .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"counter packets \d+ bytes \d+", "counter").Trim())
                .Where(l => l.Length > 0)];
            return new RouterState(rules, mappings, pcFirewall);
        }

        /// <summary>The mapping lines of <c>upnpc -l</c> without the index and the remaining lease, which change by themselves.</summary>
        private static IReadOnlyList<string> SnapshotMappings(CommandResult listing)
        {
            Assert.True(listing.Succeeded, $"upnpc -l failed: {listing}");
            return [.. listing.StandardOutput.Split('\n')
                .Select(l => MappingLine().Match(l))
                .Where(m => m.Success)
                .Select(m => m.Groups["entry"].Value)
                .Order(StringComparer.Ordinal)];
        }

        /// <summary>upnpc with the description URL given, which skips its ~2 s SSDP discovery.</summary>
        private Task<CommandResult> UpnpcAsync(params string[] args) =>
            _tb.ExecAsync(Host.Pc, "upnpc", ["-u", DescriptionUrl, .. args]);

        private string JournalTail()
        {
            try
            {
                var lines = File.ReadAllText(JournalPath).Split('\n');
                return string.Join('\n', lines.TakeLast(8));
            }
            catch (IOException ex)
            {
                return "(unreadable: " + ex.Message + ")";
            }
        }

        // " 0 TCP  8080->192.168.9.10:8080  'PortDoctor' '' 86399" → "TCP  8080->192.168.9.10:8080  'PortDoctor' ''"
        [GeneratedRegex(@"^\s*\d+\s+(?<entry>(TCP|UDP)\s+\S+\s+'[^']*'\s+'[^']*')\s+\d+\s*$")]
        private static partial Regex MappingLine();
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
