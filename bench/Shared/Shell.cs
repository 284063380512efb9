using System.Diagnostics;

namespace PortDoctor.Bench;

/// <summary>One finished command: exit code, output and wall time from start to exit.</summary>
internal sealed record Ran(int ExitCode, string Output, TimeSpan Wall)
{
    public Ran EnsureSuccess(string what) =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"{what} failed with exit code {ExitCode}: {Output}");
}

/// <summary>Runs programs with a time limit, capturing output; the wall time covers process start to exit.</summary>
internal static class Shell
{
    public static async Task<Ran> RunAsync(string file, IEnumerable<string> args, TimeSpan limit)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            watch.Stop();
            return new Ran(-1, $"killed after {limit.TotalSeconds:0} s: {await stdout}{await stderr}", watch.Elapsed);
        }

        watch.Stop();
        return new Ran(process.ExitCode, (await stdout) + (await stderr), watch.Elapsed);
    }
}
