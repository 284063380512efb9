using System.Globalization;

namespace PortDoctor.Bench.Mapping;

/// <summary>Which way a ratio is read.</summary>
internal enum TargetKind
{
    /// <summary>Their median divided by ours must be at least the factor (we are that many times faster).</summary>
    TheirsOverOurs,

    /// <summary>Our median divided by theirs must be at most the factor (we are at most that much slower).</summary>
    OursOverTheirs,

    /// <summary>Our median must stay below an absolute limit in milliseconds.</summary>
    Within,
}

internal sealed record Target(TargetKind Kind, double Value);

/// <summary>One table row.</summary>
internal sealed record Result(string Path, double OursMs, string Other, double? TheirsMs, Target Target, int Failures)
{
    public double? Ratio => Target.Kind switch
    {
        TargetKind.TheirsOverOurs => TheirsMs / OursMs,
        TargetKind.OursOverTheirs => OursMs / TheirsMs,
        _ => null,
    };

    public bool Met => Failures == 0 && Target.Kind switch
    {
        TargetKind.TheirsOverOurs => Ratio >= Target.Value,
        TargetKind.OursOverTheirs => Ratio <= Target.Value,
        _ => OursMs <= Target.Value,
    };

    public string Row()
    {
        var inv = CultureInfo.InvariantCulture;
        string other = TheirsMs is double t ? string.Create(inv, $"{Other} {t,8:0.0} ms") : Other;
        string ratio = Ratio is double r ? string.Create(inv, $"{r:0.00}x") : "-";
        string target = Target.Kind switch
        {
            TargetKind.TheirsOverOurs => string.Create(inv, $">= {Target.Value:0.#}x faster"),
            TargetKind.OursOverTheirs => string.Create(inv, $"<= {Target.Value:0.0#}x theirs"),
            _ => string.Create(inv, $"<= {Target.Value:0} ms"),
        };
        string failures = Failures == 0 ? string.Empty : string.Create(inv, $" ({Failures} failed runs)");
        return string.Create(inv, $"{Path,-24} {OursMs,9:0.0} ms {other,18} {ratio,10} {target,16}  {(Met ? "ok" : "MISSED")}{failures}");
    }
}

/// <summary>The measurements.</summary>
internal static class Compare
{
    /// <summary>Limit for one command: the probe budget plus a request budget, generously; a hang shows as a failure.</summary>
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// "No router answers" must end within the probe budget (3 s, GatewayProbe.DefaultBudget) plus 0.5 s for process
    /// start and the local steps (gateway lookup, listener and firewall checks).
    /// </summary>
    private const double NoRouterLimitMs = 3500;

    public static async Task<Result> RunAsync(
        string root, string variant, string label, int runs,
        string[] ours, string[] oursUndo,
        string theirsName, Func<Testbed, string[]> theirs, Func<Testbed, string[]> theirsUndo,
        Target target)
    {
        Console.WriteLine($"{label}: testbed variant {variant}, {runs} runs each, alternating ...");
        await using Testbed tb = await Testbed.UpAsync(root, variant);
        var oursMs = new List<double>();
        var theirsMs = new List<double>();
        int failures = 0;

        // One untimed round first: page cache and the router's first-request costs are not what is compared.
        await tb.InPcAsync(CommandLimit, ours);
        await tb.InPcAsync(CommandLimit, oursUndo);
        await tb.InPcAsync(CommandLimit, theirs(tb));
        await tb.InPcAsync(CommandLimit, theirsUndo(tb));

        for (int i = 0; i < runs; i++)
        {
            bool oursFirst = i % 2 == 0;
            for (int k = 0; k < 2; k++)
            {
                bool isOurs = (k == 0) == oursFirst;
                Ran map = await tb.InPcAsync(CommandLimit, isOurs ? ours : theirs(tb));
                bool mapped = map.ExitCode == 0 && await tb.MappingRuleCountAsync() > 0;
                await tb.InPcAsync(CommandLimit, isOurs ? oursUndo : theirsUndo(tb));
                if (!mapped || await tb.MappingRuleCountAsync() != 0)
                {
                    failures++;
                    Console.WriteLine($"  run {i + 1} {(isOurs ? "portdoctor" : theirsName)}: exit {map.ExitCode}, mapped {mapped}: {Trim(map.Output)}");
                }

                (isOurs ? oursMs : theirsMs).Add(map.Wall.TotalMilliseconds);
            }
        }

        Console.WriteLine($"  portdoctor: {Describe(oursMs)}");
        Console.WriteLine($"  {theirsName}: {Describe(theirsMs)}");
        return new Result($"{label} ({variant})", Median(oursMs), theirsName, Median(theirsMs), target, failures);
    }

    public static async Task<Result> NoRouterAsync(string root, string[] ours)
    {
        const int Runs = 3;
        Console.WriteLine($"No router: testbed variant no-upnp, {Runs} runs ...");
        await using Testbed tb = await Testbed.UpAsync(root, "no-upnp");
        var ms = new List<double>();
        int failures = 0;
        for (int i = 0; i < Runs; i++)
        {
            Ran open = await tb.InPcAsync(CommandLimit, ours);
            ms.Add(open.Wall.TotalMilliseconds);
            if (open.ExitCode != 1)
            {
                failures++;
                Console.WriteLine($"  run {i + 1}: expected exit 1 (no gateway), got {open.ExitCode}: {Trim(open.Output)}");
            }
        }

        Console.WriteLine($"  portdoctor: {Describe(ms)}");
        return new Result("no router (no-upnp)", Median(ms), "-", null, new Target(TargetKind.Within, NoRouterLimitMs), failures);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    private static string Describe(List<double> ms) =>
        string.Create(CultureInfo.InvariantCulture, $"median {Median(ms):0.0} ms, min {ms.Min():0.0}, max {ms.Max():0.0} ({string.Join(" ", ms.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))})");

    private static string Trim(string text) => text.Length > 300 ? text[..300] + "…" : text.ReplaceLineEndings(" ");
}
