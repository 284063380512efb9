using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace PortDoctor.Bench.Checker;

/// <summary>
/// (b) N concurrent checks of a port whose SYNs nftables drops (only inside the bench's namespace): all must
/// answer "filtered" while the checker holds N probes at once; reports the checker process's peak memory.
/// </summary>
internal static class FilteredPhase
{
    // Long enough that every probe is still waiting when the last request arrives, so N are in flight at once.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    // The whole phase: ramp-up (about 1.5 s), the 20 s probes, the answers, with room for a slow machine.
    private static readonly TimeSpan PhaseLimit = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(BenchSettings settings)
    {
        if (!File.Exists("/proc/net/tcp") || !IsBlackHoled())
        {
            Console.WriteLine("(b) skipped: not inside the bench's namespace (port " + BenchSettings.BlackHolePort + " is not black-holed here).");
            return 1;
        }

        int n = settings.Filtered;
        await using ServeProcess server = await ServeProcess.StartAsync(settings.Binary, n + 100, ConnectTimeout, http2Only: true).ConfigureAwait(false);
        double startMiB = server.ResidentMiB();

        // Probes in flight, counted outside the checker: its sockets in SYN-SENT towards the black-holed port.
        using var sampling = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        int peakInFlight = 0;
        TimeSpan rampedAt = TimeSpan.Zero;
        Task sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                int now = SynSentTo(BenchSettings.BlackHolePort);
                peakInFlight = Math.Max(peakInFlight, now);
                if (rampedAt == TimeSpan.Zero && now >= n)
                {
                    rampedAt = clock.Elapsed;
                }

                await Task.Delay(100).ConfigureAwait(false);
            }
        });

        (int filtered, int other, string? firstOther) = await LoadAsync(n, server.BaseAddress).ConfigureAwait(false);
        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        clock.Stop();
        double peakMiB = server.PeakResidentMiB();

        Console.WriteLine($"(b) {n} concurrent checks of a black-holed port (connect timeout {ConnectTimeout.TotalSeconds:F0} s), NativeAOT portdoctor serve, HTTP/2:");
        Console.WriteLine($"    answers: filtered {filtered}, other {other}{(firstOther is null ? string.Empty : " (first: " + firstOther + ")")}; total {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"    peak probes in flight {peakInFlight} (SYN-SENT sockets){(rampedAt > TimeSpan.Zero ? $"; all {n} in flight after {rampedAt.TotalSeconds:F1} s" : string.Empty)}");
        Console.WriteLine($"    checker peak memory (VmHWM of the portdoctor serve process) {peakMiB:F0} MiB (target <= 200 MB = {200e6 / 1048576:F0} MiB); " +
            $"{startMiB:F0} MiB before the run; load generator (this process) peak {ProcStatus.PeakResidentMiB():F0} MiB");
        return filtered == n && peakInFlight >= n && peakMiB * 1048576 <= 200e6 ? 0 : 1;
    }

    // N checks at once over HTTP/2 with prior knowledge: each connection carries up to 100 requests at once, so
    // 10,000 checks in flight cost about 100 client connections instead of 10,000 (this sandbox caps a process
    // at 20,000 open files, and each probe holds one socket in the checker).
    private static async Task<(int Filtered, int Other, string? FirstOther)> LoadAsync(int n, Uri baseAddress)
    {
        using var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(90) };
        byte[] body = Encoding.UTF8.GetBytes($$"""{"port":{{BenchSettings.BlackHolePort}},"protocol":"tcp"}""");
        using var deadline = new CancellationTokenSource(PhaseLimit);
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
        return (filtered, other, firstOther);
    }

    // Sockets in SYN-SENT (state 02) to the port, from this namespace's /proc/net/tcp: the probes waiting on
    // a connect. Columns: sl local_address rem_address st ...; addresses are HEXIP:HEXPORT.
    private static int SynSentTo(int port)
    {
        string wanted = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        int count = 0;
        foreach (string line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            string[] f = line.Split(' ', 5, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 4 && f[3] == "02" && f[2].EndsWith(wanted, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
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
