using PortDoctor.Bench;
using PortDoctor.Bench.Checker;

// Usage: sudo dotnet run -c Release --project bench/PortDoctor.Bench.Checker [-- --concurrency 32 --seconds 5 --filtered 10000 --binary out/portdoctor]
// The checker measured is the NativeAOT `portdoctor serve` (published first unless --binary names one). As root
// the bench makes a private network namespace (loopback only, one port black-holed by nftables) and runs each
// phase inside it in a fresh process; without root it runs the throughput phase on the host's loopback and
// skips the filtered phase. All traffic stays on 127.0.0.1.
BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    return Fail(ex.Message);
}

if (settings.Phase is { } phase)
{
    return phase switch
    {
        "throughput" => await ThroughputPhase.RunAsync(settings),
        "filtered" => await FilteredPhase.RunAsync(settings),
        _ => Fail($"unknown phase '{phase}'"),
    };
}

if (await Repo.AotBinaryAsync(settings.Binary.Length == 0 ? null : settings.Binary, "PortDoctor.Bench.Checker") is not { } binary)
{
    return 2;
}

settings = settings with { Binary = binary };
Console.WriteLine($"PortDoctor checker bench: concurrency {settings.Concurrency}, {settings.Seconds} s per throughput run, {settings.Filtered} filtered probes; {Environment.ProcessorCount} cores.");
if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
{
    Console.WriteLine("Not root: running the throughput phase on the host loopback; the filtered phase needs a network namespace (run with sudo).");
    return await ThroughputPhase.RunAsync(settings);
}

using var ns = BenchNamespace.Create(BenchSettings.BlackHolePort);
int status = 0;
foreach (string p in new[] { "throughput", "filtered" })
{
    int code = ns.RunSelf(p, settings, TimeSpan.FromSeconds(p == "filtered" ? 180 : 120));
    Console.WriteLine(code == 0 ? $"[{p}: target met]" : $"[{p}: exit {code}]");
    status |= code;
}

return status;

static int Fail(string message)
{
    Console.Error.WriteLine("bench: " + message);
    return 2;
}

/// <summary>The bench's settings from the command line.</summary>
/// <param name="Binary">The NativeAOT portdoctor; empty until resolved (phases get it resolved).</param>
internal sealed record BenchSettings(int Concurrency, int Seconds, int Filtered, string? Phase, string Binary)
{
    /// <summary>The port that nftables drops inside the namespace.</summary>
    public const int BlackHolePort = 47999;

    public static BenchSettings Parse(string[] args)
    {
        int concurrency = 32, seconds = 5, filtered = 10_000;
        string? phase = null;
        string binary = string.Empty;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--concurrency": concurrency = Math.Clamp(int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture), 1, 1024); break;
                case "--seconds": seconds = Math.Clamp(int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture), 1, 60); break;
                case "--filtered": filtered = Math.Clamp(int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture), 1, 20_000); break;
                case "--phase": phase = args[i + 1]; break;
                case "--binary": binary = Path.GetFullPath(args[i + 1]); break;
                default: throw new ArgumentException($"unknown option {args[i]}; use --concurrency N, --seconds N, --filtered N, --binary PATH");
            }
        }

        if (args.Length % 2 != 0)
        {
            throw new ArgumentException($"option {args[^1]} needs a value; use --concurrency N, --seconds N, --filtered N, --binary PATH");
        }

        return new BenchSettings(concurrency, seconds, filtered, phase, binary);
    }

    public IEnumerable<string> ToArgs(string phase) =>
    [
        "--concurrency", Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--seconds", Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--filtered", Filtered.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--phase", phase,
        "--binary", Binary,
    ];
}
