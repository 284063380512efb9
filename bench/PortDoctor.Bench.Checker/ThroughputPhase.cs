using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PortDoctor.Bench.Checker;

/// <summary>
/// (a) POST /api/v1/check against an accepting port with N concurrent clients, against a raw TCP
/// connect+close loop with the same concurrency, in the same process and run.
/// </summary>
internal static class ThroughputPhase
{
    public static async Task<int> RunAsync(BenchSettings settings)
    {
        await using BenchServer server = await BenchServer.StartAsync(o => o.MaxConcurrentProbes = Math.Max(64, settings.Concurrency * 2)).ConfigureAwait(false);
        var target = new IPEndPoint(IPAddress.Loopback, server.OpenPort);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = settings.Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        byte[] body = Encoding.UTF8.GetBytes($$"""{"port":{{server.OpenPort}},"protocol":"tcp"}""");
        long errors = 0;

        async Task RawOnce()
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(target).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Both);
        }

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

        // A short warm-up of each (JIT, connection pool), then the measured runs, raw first.
        await MeasureAsync("warm-up raw", settings.Concurrency, TimeSpan.FromSeconds(1), RawOnce).ConfigureAwait(false);
        await MeasureAsync("warm-up check", settings.Concurrency, TimeSpan.FromSeconds(1), CheckOnce).ConfigureAwait(false);
        errors = 0;
        Stats raw = await MeasureAsync("raw TCP connect+close", settings.Concurrency, TimeSpan.FromSeconds(settings.Seconds), RawOnce).ConfigureAwait(false);
        Stats check = await MeasureAsync("POST /api/v1/check (open port)", settings.Concurrency, TimeSpan.FromSeconds(settings.Seconds), CheckOnce).ConfigureAwait(false);
        double ratio = check.PerSecond / raw.PerSecond;

        Console.WriteLine($"(a) throughput on loopback, concurrency {settings.Concurrency}:");
        Console.WriteLine("    " + raw);
        Console.WriteLine("    " + check);
        Console.WriteLine($"    checks/raw ratio {ratio:F2} (target >= 0.50); failed checks {errors}; peak RSS {ProcStatus.PeakResidentMiB():F0} MiB");
        return ratio >= 0.5 && errors == 0 ? 0 : 1;
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
