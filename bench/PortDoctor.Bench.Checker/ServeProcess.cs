using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PortDoctor.Bench.Checker;

/// <summary>
/// The shipped checker: the NativeAOT <c>portdoctor serve</c> as a child process on 127.0.0.1, with a settings
/// file of the bench's own (private targets allowed, the per-address limit lifted). Its memory is read from
/// <c>/proc/PID/status</c>, so the figure is that of the process a user runs, nothing of the bench's.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    // How long the server may take to answer /healthz after start: a NativeAOT start takes about 30 ms here,
    // so 15 s only trips when it cannot start at all.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    // How long a SIGTERM may take: the settings give requests in flight 5 s, and the rest is the process exit.
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process process;
    private readonly string settingsFile;

    private ServeProcess(Process process, string settingsFile, Uri baseAddress)
    {
        this.process = process;
        this.settingsFile = settingsFile;
        BaseAddress = baseAddress;
    }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The server's process ID.</summary>
    public int Pid => process.Id;


    /// <summary>Starts the server and waits until <c>/healthz</c> answers.</summary>
    /// <param name="binary">The NativeAOT portdoctor.</param>
    /// <param name="maxConcurrentProbes">The probe cap (<c>Checker:MaxConcurrentProbes</c>).</param>
    /// <param name="connectTimeout">The probe's connect timeout (<c>Checker:ConnectTimeout</c>).</param>
    /// <param name="http2Only">Serve cleartext HTTP/2 with prior knowledge only (<c>Kestrel__EndpointDefaults__Protocols=Http2</c>),
    /// as behind an h2c proxy: many requests share a connection.</param>
    /// <param name="logLevel">The default log level (<c>Logging__LogLevel__Default</c>), or null for the server's own default (information).</param>
    /// <param name="environment">More environment variables for the server (runtime knobs), or null.</param>
    public static async Task<ServeProcess> StartAsync(string binary, int maxConcurrentProbes, TimeSpan connectTimeout, bool http2Only, string? logLevel = null,
        IReadOnlyList<(string Name, string Value)>? environment = null)
    {
        int port = FreePort();
        string settings = Path.Combine(Path.GetTempPath(), $"pdbench-serve-{Environment.ProcessId}-{port}.json");
        string inv(double v) => v.ToString(CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(settings, $$$"""
            {"Checker": {"AllowPrivate": true, "RateLimitPermits": 1000000000, "RateLimitWindow": "1s",
             "MaxConcurrentProbes": {{{inv(maxConcurrentProbes)}}}, "ConnectTimeout": "{{{inv(connectTimeout.TotalMilliseconds)}}}ms",
             "ShutdownTimeout": "5s"}}
            """).ConfigureAwait(false);

        // Its log (one information line a probe) goes to /dev/null through a shell that then becomes the server
        // (exec, same PID): a pipe read by the bench would spend the bench's share of the two cores on it.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (string a in new[] { "-c", "exec \"$0\" \"$@\" >/dev/null 2>&1", binary, "serve", "--config", settings, "--urls", $"http://127.0.0.1:{port}" })
        {
            info.ArgumentList.Add(a);
        }

        foreach ((string name, string value) in environment ?? [])
        {
            info.Environment[name] = value;
        }

        if (logLevel is not null)
        {
            info.Environment["Logging__LogLevel__Default"] = logLevel;
        }

        if (http2Only)
        {
            info.Environment["Kestrel__EndpointDefaults__Protocols"] = "Http2";
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {binary}");
        var server = new ServeProcess(process, settings, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await server.WaitHealthyAsync(http2Only).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>The server's peak resident memory (<c>VmHWM</c>) in MiB, or NaN when it cannot be read.</summary>
    public double PeakResidentMiB() => ProcStatus.PeakResidentMiB(process.Id);

    /// <summary>The server's resident memory now (<c>VmRSS</c>) in MiB, or NaN.</summary>
    public double ResidentMiB() => ProcStatus.ResidentMiB(process.Id);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // SIGTERM: the graceful stop a service manager would send.
            using (Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync().ConfigureAwait(false);
            }

            using var limit = new CancellationTokenSource(StopTimeout);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine($"    portdoctor serve did not stop within {StopTimeout.TotalSeconds:F0} s of SIGTERM; killing it");
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        process.Dispose();
        File.Delete(settingsFile);
    }

    private async Task WaitHealthyAsync(bool http2Only)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(1) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"portdoctor serve exited with code {process.ExitCode} before answering /healthz");
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, "healthz"))
                {
                    Version = http2Only ? HttpVersion.Version20 : HttpVersion.Version11,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                };
                using HttpResponseMessage response = await http.SendAsync(request).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            if (clock.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"portdoctor serve did not answer /healthz within {StartTimeout.TotalSeconds:F0} s");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
