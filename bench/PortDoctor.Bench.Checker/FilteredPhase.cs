using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PortDoctor.Checker;

namespace PortDoctor.Bench.Checker;

/// <summary>
/// (b) N concurrent checks of a port whose SYNs nftables drops (only inside the bench's namespace): all must
/// answer "filtered" while the checker holds N probes at once; reports the process's peak memory.
/// </summary>
internal static class FilteredPhase
{
    // Long enough that every probe is still waiting when the last request arrives, so N are in flight at once.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(BenchSettings settings)
    {
        if (!File.Exists("/proc/self/status") || !IsBlackHoled())
        {
            Console.WriteLine("(b) skipped: not inside the bench's namespace (port " + BenchSettings.BlackHolePort + " is not black-holed here).");
            return 1;
        }

        int n = settings.Filtered;
        double startMiB = ProcStatus.ResidentMiB();
        await using BenchServer server = await BenchServer.StartAsync(o =>
        {
            o.MaxConcurrentProbes = n + 100;
            o.ConnectTimeout = ConnectTimeout;
            o.ShutdownTimeout = TimeSpan.FromSeconds(5);
        }, http2Only: true).ConfigureAwait(false);
        ProbeGauge gauge = server.App.Services.GetRequiredService<ProbeGauge>();

        // The load runs in a child process of its own, so that the peak memory below is the checker's alone
        // (the target is about the service; the client's 10,000 pending requests are not the checker's cost).
        string self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()!.Location);
        }

        foreach (string a in settings.ToArgs("filtered-load"))
        {
            info.ArgumentList.Add(a);
        }

        info.ArgumentList.Add("--url");
        info.ArgumentList.Add(server.BaseAddress.ToString());
        var clock = Stopwatch.StartNew();
        using Process load = Process.Start(info)!;
        Task<string> output = load.StandardOutput.ReadToEndAsync();
        TimeSpan rampedAt = TimeSpan.Zero;
        while (!load.HasExited)
        {
            await Task.WhenAny(output, Task.Delay(250)).ConfigureAwait(false);
            if (rampedAt == TimeSpan.Zero && gauge.Current >= n)
            {
                rampedAt = clock.Elapsed;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(150))
            {
                load.Kill(entireProcessTree: true);
            }
        }

        string result = (await output.ConfigureAwait(false)).Trim();
        clock.Stop();
        double peakMiB = ProcStatus.PeakResidentMiB();
        var fields = result.Split(' ', 4);
        int filtered = fields.Length >= 2 && int.TryParse(fields[1], out int f) ? f : 0;
        Console.WriteLine($"(b) {n} concurrent checks of a black-holed port (connect timeout {ConnectTimeout.TotalSeconds:F0} s):");
        Console.WriteLine($"    load process says: {result}; peak probes in flight {gauge.Peak}" +
            $"{(rampedAt > TimeSpan.Zero ? $" (all {n} in flight after {rampedAt.TotalSeconds:F1} s)" : string.Empty)}; total {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"    checker peak memory (VmHWM of the checker process) {peakMiB:F0} MiB (target <= 200); RSS before the run {startMiB:F0} MiB");
        return filtered == n && peakMiB <= 200 ? 0 : 1;
    }

    /// <summary>The load side of (b), in its own process: N concurrent checks; prints "filtered F other O [first error]".</summary>
    public static async Task<int> LoadAsync(BenchSettings settings, Uri baseAddress)
    {
        int n = settings.Filtered;
        // HTTP/2 with prior knowledge: each connection carries up to 100 requests at once, so 10,000 checks in
        // flight cost about 100 client connections instead of 10,000 (this sandbox caps a process at 20,000
        // open files, and each probe holds one socket of its own).
        using var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(90) };
        byte[] body = Encoding.UTF8.GetBytes($$"""{"port":{{BenchSettings.BlackHolePort}},"protocol":"tcp"}""");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        int filtered = 0, other = 0;
        string? firstOther = null;

        async Task OneAsync()
        {
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/check")
                {
                    Content = content,
                    Version = HttpVersion.Version20,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                };
                using HttpResponseMessage response = await http.SendAsync(request, deadline.Token).ConfigureAwait(false);
                string text = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK && text.Contains("\"state\":\"filtered\"", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref filtered);
                    return;
                }

                Interlocked.CompareExchange(ref firstOther, $"HTTP {(int)response.StatusCode}: {text}", null);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                Interlocked.CompareExchange(ref firstOther, ex.GetType().Name + ": " + ex.Message, null);
            }

            Interlocked.Increment(ref other);
        }

        await Task.WhenAll(Enumerable.Range(0, n).Select(_ => Task.Run(OneAsync))).ConfigureAwait(false);
        Console.WriteLine($"filtered {filtered} other {other}{(firstOther is null ? string.Empty : " first: " + firstOther)}; load process peak {ProcStatus.PeakResidentMiB():F0} MiB");
        return filtered == n ? 0 : 1;
    }

    // The rule exists only inside the bench's namespace; probing it elsewhere would just find a closed port.
    private static bool IsBlackHoled()
    {
        var info = new ProcessStartInfo("nft", "list table inet pdbench") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        try
        {
            using Process p = Process.Start(info)!;
            string text = p.StandardOutput.ReadToEnd();
            p.WaitForExit(5000);
            return p.ExitCode == 0 && text.Contains($"dport {BenchSettings.BlackHolePort} drop", StringComparison.Ordinal);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
