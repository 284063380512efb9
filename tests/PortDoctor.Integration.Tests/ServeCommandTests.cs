using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PortDoctor.Integration.Tests.Harness;

namespace PortDoctor.Integration.Tests;

/// <summary>
/// The real <c>portdoctor serve</c> on 127.0.0.1 (no root, no testbed): settings from <c>--config</c> hold
/// unless a flag is actually given on the command line.
/// </summary>
public sealed class ServeCommandTests
{
    [Theory]
    [InlineData("""{"Checker": {"AllowPrivate": true}}""", "", HttpStatusCode.OK)]            // the file alone allows it
    [InlineData("""{"Checker": {"RateLimitPermits": 5}}""", "", HttpStatusCode.Forbidden)]    // nothing allows it: loopback refused
    [InlineData("""{"Checker": {"AllowPrivate": false}}""", "--allow-private", HttpStatusCode.OK)] // the flag, given, wins
    public async Task Allow_private_comes_from_the_file_unless_the_flag_is_given(string settingsJson, string flag, HttpStatusCode expected)
    {
        string settings = await WriteSettingsAsync(settingsJson);
        await using var server = await StartAsync(flag.Length == 0 ? ["--config", settings] : ["--config", settings, flag]);

        (HttpStatusCode status, string body) = await CheckClosedLoopbackPortAsync(server.BaseAddress);

        Assert.True(status == expected, $"HTTP {(int)status}: {body}\n{server.Output}");
        Assert.Contains(expected == HttpStatusCode.OK ? "\"state\":\"closed\"" : "loopback", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_lets_a_probe_in_flight_finish_and_answer()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "SIGTERM is sent with kill(1)");

        // A bound UDP socket that never answers: the UDP probe waits its whole 3 s.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int silentPort = ((IPEndPoint)silent.LocalEndPoint!).Port;
        await using var server = await StartAsync(["--allow-private"]);

        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        using var content = new StringContent($$"""{"port":{{silentPort}},"protocol":"udp","nonce":"sigterm-test"}""", Encoding.UTF8, "application/json");
        Task<HttpResponseMessage> pending = http.PostAsync("api/v1/check", content, TestContext.Current.CancellationToken);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        using (Process kill = Process.Start("kill", ["-TERM", server.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        using HttpResponseMessage response = await pending;
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}\n{server.Output}");
        Assert.Contains("\"state\":\"filtered\"", body, StringComparison.Ordinal);
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await server.Process.WaitForExitAsync(exited.Token);
        Assert.Equal(0, server.Process.ExitCode);
    }

    private static async Task<string> WriteSettingsAsync(string json)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("pd-serve-test-").FullName, "checker.json");
        await File.WriteAllTextAsync(path, json, TestContext.Current.CancellationToken);
        return path;
    }

    // A port nobody listens on: bound to learn a free number, then closed again.
    private static async Task<(HttpStatusCode Status, string Body)> CheckClosedLoopbackPortAsync(Uri baseAddress)
    {
        int closedPort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var content = new StringContent($$"""{"port":{{closedPort}},"protocol":"tcp"}""", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await http.PostAsync("api/v1/check", content, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static async Task<RunningServer> StartAsync(string[] args)
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var info = new ProcessStartInfo(RepoPaths.PortDoctorBinary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "serve", "--urls", $"http://127.0.0.1:{port}" }.Concat(args))
        {
            info.ArgumentList.Add(a);
        }

        var server = new RunningServer(Process.Start(info)!, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            Assert.False(server.Process.HasExited, "portdoctor serve exited early: " + server.Output);
            try
            {
                using HttpResponseMessage health = await http.GetAsync(new Uri(server.BaseAddress, "healthz"), TestContext.Current.CancellationToken);
                if (health.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await server.DisposeAsync();
        Assert.Fail("portdoctor serve did not answer /healthz within 20 s: " + server.Output);
        return null!;
    }

    private sealed class RunningServer : IAsyncDisposable
    {
        private readonly StringBuilder output = new();

        public RunningServer(Process process, Uri baseAddress)
        {
            Process = process;
            BaseAddress = baseAddress;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public Uri BaseAddress { get; }

        public string Output
        {
            get
            {
                lock (output)
                {
                    return output.ToString();
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            await Process.WaitForExitAsync();
            Process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }
    }
}
