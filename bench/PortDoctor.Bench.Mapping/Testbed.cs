namespace PortDoctor.Bench.Mapping;

/// <summary>A testbed network (testbed/testbed.sh) for one variant; disposing tears it down, always.</summary>
internal sealed class Testbed : IAsyncDisposable
{
    /// <summary>up starts miniupnpd and waits for it (≤ 10 s); 60 s leaves room on a loaded machine.</summary>
    private static readonly TimeSpan UpLimit = TimeSpan.FromSeconds(60);

    private readonly string _script;
    private readonly Dictionary<string, string> _values;

    private Testbed(string script, Dictionary<string, string> values)
    {
        _script = script;
        _values = values;
    }

    public string Name => _values["TB_NAME"];

    public string PcNamespace => _values["TB_PC_NS"];

    public string PcIp => _values["TB_PC_IP"];

    public string RouterLanIp => _values["TB_ROUTER_LAN_IP"];

    public static async Task<Testbed> UpAsync(string root, string variant)
    {
        string script = Path.Combine(root, "testbed", "testbed.sh");
        Ran up = (await Shell.RunAsync("bash", [script, "up", variant], UpLimit)).EnsureSuccess($"testbed up {variant}");
        var values = up.Output.Split('\n', StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("TB_", StringComparison.Ordinal) && l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2))
            .GroupBy(p => p[0])
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
        return new Testbed(script, values);
    }

    /// <summary>Runs a command in the PC's namespace.</summary>
    public Task<Ran> InPcAsync(TimeSpan limit, params string[] command) =>
        Shell.RunAsync("ip", ["netns", "exec", PcNamespace, .. command], limit);

    /// <summary>The rules in the router's miniupnpd chains; empty when no mapping is installed.</summary>
    public async Task<int> MappingRuleCountAsync() =>
        (await Shell.RunAsync("bash", [_script, "router-state", Name, "--rules-only"], TimeSpan.FromSeconds(30)))
            .Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    public async ValueTask DisposeAsync() =>
        await Shell.RunAsync("bash", [_script, "down", Name], TimeSpan.FromSeconds(30));
}
