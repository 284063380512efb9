using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PortDoctor.Bench.Checker;

/// <summary>
/// (a) POST /api/v1/check against an accepting port with N concurrent clients, against a raw TCP
/// connect+close loop with the same concurrency, in the same run; the checker is the NativeAOT
/// <c>portdoctor serve</c> in a process of its own, as users run it.
/// </summary>
internal static class ThroughputPhase
{
    public static async Task<int> RunAsync(BenchSettings settings)
    {
        await using var open = new AcceptingPort();
        var target = new IPEndPoint(IPAddress.Loopback, open.Port);
        byte[] body = Encoding.UTF8.GetBytes($$"""{"port":{{open.Port}},"protocol":"tcp"}""");

        async Task RawOnce()
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(target).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Both);
        }

        await MeasureAsync("warm-up raw", settings.Concurrency, TimeSpan.FromSeconds(1), RawOnce).ConfigureAwait(false);
        Stats raw = await MeasureAsync("raw TCP connect+close", settings.Concurrency, TimeSpan.FromSeconds(settings.Seconds), RawOnce).ConfigureAwait(false);

        // Twice: with the checker's default logging (one information line a probe) and with the log level at
        // warning, as docs/checker.md advises for a busy public instance. The target applies to the second.
        Console.WriteLine($"(a) throughput on loopback, concurrency {settings.Concurrency}, NativeAOT portdoctor serve, HTTP/1.1 keep-alive:");
        Console.WriteLine("    " + raw);
        bool met = true;
        foreach ((string label, string? logLevel) in new[] { ("log level information", (string?)null), ("log level warning", "Warning") })
        {
            (Stats check, long errors, double peakMiB) = await MeasureChecksAsync(settings, body, logLevel).ConfigureAwait(false);
            double ratio = check.PerSecond / raw.PerSecond;
            bool judged = logLevel is not null;
            Console.WriteLine($"    {check}");
            Console.WriteLine($"      {label}: checks/raw ratio {ratio:F2}{(judged ? " (target >= 0.50)" : " (for comparison)")}; failed checks {errors}; checker peak RSS {peakMiB:F0} MiB");
            met &= errors == 0 && (!judged || ratio >= 0.5);
        }

        return met ? 0 : 1;
    }

    private static async Task<(Stats Check, long Errors, double PeakMiB)> MeasureChecksAsync(BenchSettings settings, byte[] body, string? logLevel)
    {
        await using ServeProcess server = await ServeProcess.StartAsync(settings.Binary, Math.Max(64, settings.Concurrency * 2), TimeSpan.FromSeconds(3), http2Only: false, logLevel).ConfigureAwait(false);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = settings.Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        long errors = 0;

        async Task CheckOnce()
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using HttpResponseMessage response = await http.PostAsync("api/v1/check", content).ConfigureAwait(false);
            string text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK || !text.Contains("\"state\":\"open\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref errors);
            }
        }

        // A short warm-up (the bench's JIT, the connection pool), then the measured run.
        await MeasureAsync("warm-up check", settings.Concurrency, TimeSpan.FromSeconds(1), CheckOnce).ConfigureAwait(false);
        errors = 0;
        Stats check = await MeasureAsync("POST /api/v1/check (open port)", settings.Concurrency, TimeSpan.FromSeconds(settings.Seconds), CheckOnce).ConfigureAwait(false);
        return (check, Interlocked.Read(ref errors), server.PeakResidentMiB());
    }

    private static async Task<Stats> MeasureAsync(string name, int concurrency, TimeSpan duration, Func<Task> operation)
    {
        var latencies = new List<double>[concurrency];
        long count = 0;
        var clock = Stopwatch.StartNew();
        Task[] workers = [.. Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
        {
            var mine = latencies[i] = new List<double>(4096);
            while (clock.Elapsed < duration)
            {
                long start = Stopwatch.GetTimestamp();
                await operation().ConfigureAwait(false);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                Interlocked.Increment(ref count);
            }
        }))];
        await Task.WhenAll(workers).ConfigureAwait(false);
        clock.Stop();
        return new Stats(name, count, clock.Elapsed, [.. latencies.SelectMany(l => l)]);
    }
}
