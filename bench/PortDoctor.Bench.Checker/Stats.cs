namespace PortDoctor.Bench.Checker;

/// <summary>Latency samples of one run: rate and percentiles.</summary>
internal sealed class Stats(string name, long count, TimeSpan elapsed, List<double> latenciesMs)
{
    public string Name => name;

    /// <summary>Several runs of the same operation as one: counts, times and samples added up.</summary>
    public static Stats Combine(IReadOnlyList<Stats> runs) =>
        new(runs[0].Name, runs.Sum(r => r.Count), TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks)), [.. runs.SelectMany(r => r.Samples)]);

    private long Count => count;

    private TimeSpan Elapsed => elapsed;

    private List<double> Samples => latenciesMs;

    public double PerSecond => count / elapsed.TotalSeconds;

    public double Percentile(double p)
    {
        if (latenciesMs.Count == 0)
        {
            return double.NaN;
        }

        latenciesMs.Sort();
        int index = (int)Math.Ceiling(p / 100 * latenciesMs.Count) - 1;
        return latenciesMs[Math.Clamp(index, 0, latenciesMs.Count - 1)];
    }

    public override string ToString() =>
        $"{name,-34} {count,8} ops in {elapsed.TotalSeconds,5:F1} s = {PerSecond,9:F0}/s   p50 {Percentile(50),7:F3} ms   p99 {Percentile(99),7:F3} ms";
}

/// <summary>Reads a process's memory figures from /proc/PID/status.</summary>
internal static class ProcStatus
{
    /// <summary>Peak resident set size (VmHWM) in MiB, or NaN when /proc is not there.</summary>
    /// <param name="pid">The process; null for this one.</param>
    public static double PeakResidentMiB(int? pid = null) => ReadKiB(pid, "VmHWM:") / 1024.0;

    /// <summary>Current resident set size (VmRSS) in MiB, or NaN.</summary>
    /// <param name="pid">The process; null for this one.</param>
    public static double ResidentMiB(int? pid = null) => ReadKiB(pid, "VmRSS:") / 1024.0;

    private static double ReadKiB(int? pid, string key)
    {
        try
        {
            string path = pid is { } id ? $"/proc/{id}/status" : "/proc/self/status";
            foreach (string line in File.ReadLines(path))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return double.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return double.NaN;
    }
}
