using System.Globalization;

namespace PortDoctor.Integration.Tests.Harness;

/// <summary>
/// One simulated network built by <c>testbed/testbed.sh</c> (network namespaces, real miniupnpd,
/// nftables NAT). Dispose it to tear everything down. All addresses exist only inside the namespaces.
/// </summary>
public sealed class Testbed : IAsyncDisposable
{
    /// <summary>Default limit for <see cref="ExecAsync"/>: generous for SSDP discovery (upnpc waits ~2 s per try).</summary>
    public static readonly TimeSpan DefaultExecTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Limit for <c>up</c>: miniupnpd start (≤10 s) plus checker start (≤20 s) plus slack.</summary>
    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Limit for <c>down</c>: miniupnpd takes ~1.5 s to say goodbye; stubborn processes get 3 s before SIGKILL.</summary>
    private static readonly TimeSpan DownTimeout = TimeSpan.FromSeconds(30);

    private readonly IReadOnlyDictionary<string, string> _values;
    private int _disposed;

    private Testbed(IReadOnlyDictionary<string, string> values)
    {
        _values = values;
    }

    /// <summary>Testbed name (namespaces are pd-NAME-ROLE).</summary>
    public string Name => Get("TB_NAME");

    /// <summary>Variant it was built as.</summary>
    public string Variant => Get("TB_VARIANT");

    /// <summary>The PC's namespace.</summary>
    public string PcNamespace => Get("TB_PC_NS");

    /// <summary>The home router's namespace; empty in public-host.</summary>
    public string RouterNamespace => Get("TB_ROUTER_NS");

    /// <summary>The upstream (ISP/carrier) NAT router's namespace; empty unless double-nat or cgnat.</summary>
    public string UpstreamNamespace => Get("TB_UPSTREAM_NS");

    /// <summary>The internet host's namespace.</summary>
    public string InetNamespace => Get("TB_INET_NS");

    /// <summary>The PC's address.</summary>
    public string PcIp => Get("TB_PC_IP");

    /// <summary>The router's LAN address (the PC's gateway); empty in public-host.</summary>
    public string RouterLanIp => Get("TB_ROUTER_LAN_IP");

    /// <summary>The router's WAN address (private in double-nat, 100.64/10 in cgnat); empty in public-host.</summary>
    public string RouterWanIp => Get("TB_ROUTER_WAN_IP");

    /// <summary>The upstream router's LAN address; empty unless double-nat or cgnat.</summary>
    public string UpstreamLanIp => Get("TB_UPSTREAM_LAN_IP");

    /// <summary>The upstream router's public address; empty unless double-nat or cgnat.</summary>
    public string UpstreamWanIp => Get("TB_UPSTREAM_WAN_IP");

    /// <summary>The address the internet host sees the PC's traffic coming from.</summary>
    public string PublicIp => Get("TB_PUBLIC_IP");

    /// <summary>The internet host's address.</summary>
    public string InetIp => Get("TB_INET_IP");

    /// <summary>URL of the checker on the internet host (listening only when a checker command was given).</summary>
    public string CheckerUrl => Get("TB_CHECKER_URL");

    /// <summary>Run directory: miniupnpd config, lease file, logs, pid files.</summary>
    public string RunDirectory => Get("TB_RUN_DIR");

    /// <summary>Namespace of <paramref name="host"/>.</summary>
    /// <exception cref="InvalidOperationException">This variant has no such host.</exception>
    public string NamespaceOf(Host host)
    {
        var ns = host switch
        {
            Host.Pc => PcNamespace,
            Host.Router => RouterNamespace,
            Host.Upstream => UpstreamNamespace,
            Host.Inet => InetNamespace,
            _ => throw new ArgumentOutOfRangeException(nameof(host), host, "unknown host"),
        };
        return ns.Length > 0 ? ns : throw new InvalidOperationException($"variant {Variant} has no {host} host");
    }

    /// <summary>
    /// Builds a testbed. <paramref name="checkerCommand"/>, when given, runs in the inet namespace
    /// and must listen on <see cref="CheckerUrl"/>; up waits until it accepts TCP. <paramref name="name"/>
    /// (1–12 of a-z 0-9) names its namespaces; by default a random one.
    /// </summary>
    /// <exception cref="InvalidOperationException">testbed.sh up failed (it has already torn itself down).</exception>
    /// <exception cref="TimeoutException">up took longer than 60 s.</exception>
    public static async Task<Testbed> UpAsync(string variant, string? checkerCommand = null, string? name = null)
    {
        List<string> args = [RepoPaths.TestbedScript, "up", variant];
        if (name is not null)
        {
            args.AddRange(["--name", name]);
        }

        if (checkerCommand is not null)
        {
            args.AddRange(["--checker-cmd", checkerCommand]);
        }

        var result = await ProcessRunner.RunAsync("bash", args, UpTimeout, TestContext.Current.CancellationToken);
        result.EnsureSuccess();
        var values = ParseValues(result.StandardOutput);
        if (!values.TryGetValue("TB_NAME", out var builtName) || builtName.Length == 0)
        {
            throw new InvalidOperationException($"testbed.sh up printed no TB_NAME: {result}");
        }

        return new Testbed(values);
    }

    /// <summary>Runs <c>ip netns exec NS file args…</c> with <see cref="DefaultExecTimeout"/>.</summary>
    /// <exception cref="TimeoutException">It did not finish in time (its process tree is killed).</exception>
    public Task<CommandResult> ExecAsync(Host host, string file, params string[] args) =>
        ExecWithTimeoutAsync(host, DefaultExecTimeout, file, args);

    /// <summary>Runs <c>ip netns exec NS file args…</c>, killing it after <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">It did not finish in time (its process tree is killed).</exception>
    public Task<CommandResult> ExecWithTimeoutAsync(Host host, TimeSpan timeout, string file, params string[] args) =>
        ProcessRunner.RunAsync("ip", ["netns", "exec", NamespaceOf(host), file, .. args], timeout, TestContext.Current.CancellationToken);

    /// <summary>
    /// Starts <paramref name="file"/> in the background inside <paramref name="host"/>'s namespace;
    /// output goes to a log file; <see cref="DisposeAsync"/> kills it at the latest.
    /// </summary>
    public async Task<BackgroundProcess> StartBackgroundAsync(Host host, string file, params string[] args)
    {
        var result = await RunScriptAsync(DefaultExecTimeout, ["bg", Name, HostArg(host), file, .. args]);
        result.EnsureSuccess();
        var values = ParseValues(result.StandardOutput);
        return new BackgroundProcess(
            int.Parse(values["TB_BG_PID"], CultureInfo.InvariantCulture), values["TB_BG_LOG"]);
    }

    /// <summary>
    /// Tries a TCP connect from <paramref name="from"/> to <paramref name="ip"/>:<paramref name="port"/>
    /// once; true when the handshake completes within <paramref name="timeout"/>.
    /// </summary>
    public async Task<bool> CanConnectTcpAsync(Host from, string ip, int port, TimeSpan timeout)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var target = $"/dev/tcp/{ip}/{port.ToString(CultureInfo.InvariantCulture)}";
        var result = await ExecWithTimeoutAsync(
            from, timeout + TimeSpan.FromSeconds(5), "timeout", seconds, "bash", "-c", $"exec 3<>{target}");
        return result.Succeeded;
    }

    /// <summary>Polls until a TCP connect succeeds or <paramref name="timeout"/> passes.</summary>
    /// <exception cref="TimeoutException">Nothing accepted the connection in time.</exception>
    public async Task WaitForTcpAsync(Host from, string ip, int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await CanConnectTcpAsync(from, ip, port, TimeSpan.FromSeconds(1)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{ip}:{port} did not accept TCP from {from} within {timeout.TotalSeconds:0.#} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The router's miniupnpd nft chains (no counters) and <c>upnpc -l</c> from the PC, as text.</summary>
    public async Task<string> RouterStateAsync() =>
        (await RunScriptAsync(DefaultExecTimeout, ["router-state", Name])).EnsureSuccess().StandardOutput;

    /// <summary>
    /// The rules in the router's miniupnpd chains, one per entry as "chain: rule"; empty means
    /// no mapping is installed.
    /// </summary>
    public async Task<IReadOnlyList<string>> RouterMappingRulesAsync()
    {
        var result = (await RunScriptAsync(DefaultExecTimeout, ["router-state", Name, "--rules-only"])).EnsureSuccess();
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Tears the testbed down (kills its processes, deletes its namespaces); safe to call twice.</summary>
    /// <exception cref="InvalidOperationException">testbed.sh down reported a failure.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Not the test's token: teardown must run even when the test was cancelled.
        var result = await ProcessRunner.RunAsync("bash", [RepoPaths.TestbedScript, "down", Name], DownTimeout, CancellationToken.None);
        result.EnsureSuccess();
    }

    /// <summary>Parses KEY=VALUE lines (TB_*) from testbed.sh output.</summary>
    internal static Dictionary<string, string> ParseValues(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && line.StartsWith("TB_", StringComparison.Ordinal))
            {
                values[line[..eq]] = line[(eq + 1)..];
            }
        }

        return values;
    }

    private static string HostArg(Host host) => host switch
    {
        Host.Pc => "pc",
        Host.Router => "router",
        Host.Upstream => "upstream",
        Host.Inet => "inet",
        _ => throw new ArgumentOutOfRangeException(nameof(host), host, "unknown host"),
    };

    private static Task<CommandResult> RunScriptAsync(TimeSpan timeout, IReadOnlyList<string> args) =>
        ProcessRunner.RunAsync("bash", [RepoPaths.TestbedScript, .. args], timeout, TestContext.Current.CancellationToken);

    private string Get(string key) =>
        _values.TryGetValue(key, out var value) ? value : throw new InvalidOperationException($"testbed.sh did not report {key}");
}
