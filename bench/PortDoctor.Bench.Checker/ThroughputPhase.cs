using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PortDoctor.Bench.Checker;

/// <summary>
/// (a) POST /api/v1/check against an accepting port with N concurrent keep-alive clients, against a raw
/// TCP connect+close loop with the same concurrency, alternating in the same run; the checker is the
/// NativeAOT <c>portdoctor serve</c> in a process of its own, as users run it.
/// </summary>
internal static class ThroughputPhase
{
    // Rounds of (raw, checks with the defaults, checks with the busy-instance profile): alternating spreads the
    // machine's own swings (other tenants, TIME_WAIT sockets piling up) over all three alike.
    private const int Rounds = 3;

    public static async Task<int> RunAsync(BenchSettings settings)
    {
        await using var open = new AcceptingPort();
        var target = new IPEndPoint(IPAddress.Loopback, open.Port);
        int cap = Math.Max(64, settings.Concurrency * 2);
        await using ServeProcess defaults = await ServeProcess.StartAsync(settings.Binary, cap, TimeSpan.FromSeconds(3), http2Only: false).ConfigureAwait(false);

        // The busy-instance profile of docs/checker.md: log level warning, and the runtime's knob that runs socket
        // continuations on the epoll thread instead of handing each to the thread pool (one thread switch less
        // per I/O; safe here because no handler blocks and the log drops lines rather than wait).
        await using ServeProcess busy = await ServeProcess.StartAsync(settings.Binary, cap, TimeSpan.FromSeconds(3), http2Only: false, logLevel: "Warning",
            environment: [("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1")]).ConfigureAwait(false);
        string body = $$"""{"port":{{open.Port}},"protocol":"tcp"}""";
        using var defaultChecks = new CheckLoad(defaults, settings.Concurrency, body);
        using var busyChecks = new CheckLoad(busy, settings.Concurrency, body);

        async Task RawOnce(int worker)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(target).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Both);
        }

        // A short warm-up of each (the bench's JIT, the connections), then the measured rounds.
        var duration = TimeSpan.FromSeconds(settings.Seconds);
        await MeasureAsync("warm-up", settings.Concurrency, TimeSpan.FromSeconds(1), RawOnce).ConfigureAwait(false);
        await MeasureAsync("warm-up", settings.Concurrency, TimeSpan.FromSeconds(1), defaultChecks.OnceAsync).ConfigureAwait(false);
        await MeasureAsync("warm-up", settings.Concurrency, TimeSpan.FromSeconds(1), busyChecks.OnceAsync).ConfigureAwait(false);
        defaultChecks.Errors = busyChecks.Errors = 0;
        var raw = new List<Stats>();
        var withDefaults = new List<Stats>();
        var withProfile = new List<Stats>();
        for (int round = 0; round < Rounds; round++)
        {
            raw.Add(await MeasureAsync("raw TCP connect+close", settings.Concurrency, duration, RawOnce).ConfigureAwait(false));
            withDefaults.Add(await MeasureAsync("POST /api/v1/check, defaults", settings.Concurrency, duration, defaultChecks.OnceAsync).ConfigureAwait(false));
            withProfile.Add(await MeasureAsync("POST /api/v1/check, busy profile", settings.Concurrency, duration, busyChecks.OnceAsync).ConfigureAwait(false));
        }

        Stats rawAll = Stats.Combine(raw);
        Console.WriteLine($"(a) throughput on loopback, concurrency {settings.Concurrency}, NativeAOT portdoctor serve, HTTP/1.1 keep-alive clients, {Rounds} alternating rounds of {settings.Seconds} s:");
        Console.WriteLine($"    {rawAll}   (rounds: {string.Join(", ", raw.Select(s => s.PerSecond.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}/s)");
        bool met = true;
        foreach ((List<Stats> runs, CheckLoad load, ServeProcess server, bool judged) in new[] { (withDefaults, defaultChecks, defaults, false), (withProfile, busyChecks, busy, true) })
        {
            Stats all = Stats.Combine(runs);
            double ratio = all.PerSecond / rawAll.PerSecond;
            Console.WriteLine($"    {all}   (rounds: {string.Join(", ", runs.Select(s => s.PerSecond.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}/s)");
            Console.WriteLine($"      checks/raw ratio {ratio:F2}{(judged ? " (target >= 0.50)" : " (for comparison)")}; failed checks {load.Errors}; checker peak RSS {server.PeakResidentMiB():F0} MiB");
            met &= load.Errors == 0 && (!judged || ratio >= 0.5);
        }

        return met ? 0 : 1;
    }

    private static async Task<Stats> MeasureAsync(string name, int concurrency, TimeSpan duration, Func<int, Task> operation)
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
                await operation(i).ConfigureAwait(false);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                Interlocked.Increment(ref count);
            }
        }))];
        await Task.WhenAll(workers).ConfigureAwait(false);
        clock.Stop();
        return new Stats(name, count, clock.Elapsed, [.. latencies.SelectMany(l => l)]);
    }

    /// <summary>One keep-alive connection per worker to one checker, as a browser or an HttpClient pool would hold.</summary>
    private sealed class CheckLoad : IDisposable
    {
        private readonly KeepAliveClient[] clients;
        private long errors;

        public CheckLoad(ServeProcess server, int concurrency, string body)
        {
            var endpoint = new IPEndPoint(IPAddress.Loopback, server.BaseAddress.Port);
            clients = [.. Enumerable.Range(0, concurrency).Select(_ => new KeepAliveClient(endpoint, "/api/v1/check", body))];
        }

        /// <summary>Answers that were not 200 with state "open".</summary>
        public long Errors
        {
            get => Interlocked.Read(ref errors);
            set => Interlocked.Exchange(ref errors, value);
        }

        public async Task OnceAsync(int worker)
        {
            (int status, string text) = await clients[worker].SendAsync().ConfigureAwait(false);
            if (status != 200 || !text.Contains("\"state\":\"open\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref errors);
            }
        }

        public void Dispose()
        {
            foreach (KeepAliveClient c in clients)
            {
                c.Dispose();
            }
        }
    }
}
