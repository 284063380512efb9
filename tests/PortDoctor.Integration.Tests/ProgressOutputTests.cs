using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using PortDoctor.Integration.Tests.Harness;

namespace PortDoctor.Integration.Tests;

/// <summary>
/// Issue "steps as they happen", without root or namespaces: the real <c>portdoctor check</c> against a checker on
/// 127.0.0.1 that holds its answer until the test lets it go. The checklist lines must be on stdout (a pipe, so plain
/// lines) while the checker is still thinking, and Ctrl+C must end the run with 130 and say what PortDoctor holds.
/// </summary>
public sealed class ProgressOutputTests
{
    /// <summary>Start-up of the program on a busy 2-core machine, plus the listener and firewall lookups before the check.</summary>
    private static readonly TimeSpan FirstLinesWithin = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Check_prints_its_first_steps_before_a_slow_checker_answers()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "runs the Linux build of portdoctor");
        await using var checker = SlowChecker.Start();
        int port = FreeTcpPort();
        await using var pd = PortDoctorProcess.Start(["check", port.ToString(CultureInfo.InvariantCulture), "--checker", checker.Url]);

        string listenerLine = await pd.WaitForLineAsync(l => l.Contains($"Nothing listens on {port}/tcp", StringComparison.Ordinal), FirstLinesWithin);
        await checker.Asked.WaitAsync(FirstLinesWithin, TestContext.Current.CancellationToken);

        // The checker has the request and has not answered: the checklist so far is already out, the verdict is not.
        Assert.StartsWith("[warning]", listenerLine, StringComparison.Ordinal);
        Assert.DoesNotContain(pd.Lines, l => l.Contains("REACHABLE", StringComparison.Ordinal));
        Assert.False(pd.Process.HasExited);

        checker.Answer("open");
        int exit = await pd.WaitForExitAsync(TimeSpan.FromSeconds(20));
        string stdout = pd.Output;
        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{pd.Errors}");
        Assert.DoesNotContain('\r', stdout);
        Assert.Single(pd.Lines, l => l.Contains($"Nothing listens on {port}/tcp", StringComparison.Ordinal)); // not again with the report
        Assert.StartsWith("REACHABLE:", pd.Lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_stays_one_document_at_the_end()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "runs the Linux build of portdoctor");
        await using var checker = SlowChecker.Start();
        int port = FreeTcpPort();
        await using var pd = PortDoctorProcess.Start(["check", port.ToString(CultureInfo.InvariantCulture), "--checker", checker.Url, "--json"]);

        await checker.Asked.WaitAsync(FirstLinesWithin, TestContext.Current.CancellationToken);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Empty(pd.Lines);

        checker.Answer("closed");
        int exit = await pd.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, exit);
        using var doc = JsonDocument.Parse(pd.Output);
        Assert.Equal("NotReachable", doc.RootElement.GetProperty("verdict").GetString());
        Assert.Contains(doc.RootElement.GetProperty("steps").EnumerateArray(), s => s.GetProperty("id").GetString() == "listener.tcp");
    }

    [Fact]
    public async Task Ctrl_c_during_check_keeps_the_steps_says_what_is_held_and_exits_130()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "SIGINT is sent with kill(1)");
        await using var checker = SlowChecker.Start();
        int port = FreeTcpPort();
        await using var pd = PortDoctorProcess.Start(["check", port.ToString(CultureInfo.InvariantCulture), "--checker", checker.Url]);
        await checker.Asked.WaitAsync(FirstLinesWithin, TestContext.Current.CancellationToken);

        await pd.SignalAsync("INT");
        int exit = await pd.WaitForExitAsync(TimeSpan.FromSeconds(10));

        Assert.True(exit == 130, $"exit {exit}\n{pd.Output}\n{pd.Errors}");
        Assert.Contains(pd.Lines, l => l.Contains($"Nothing listens on {port}/tcp", StringComparison.Ordinal));
        Assert.Contains("PortDoctor holds no changes.", pd.Output, StringComparison.Ordinal);
        Assert.Contains("Interrupted (Ctrl+C)", pd.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("REACHABLE", pd.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_keeps_the_steps_done_so_far_then_the_timeout_error()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "runs the Linux build of portdoctor");
        await using var checker = SlowChecker.Start();
        int port = FreeTcpPort();
        await using var pd = PortDoctorProcess.Start(["check", port.ToString(CultureInfo.InvariantCulture), "--checker", checker.Url, "--timeout", "3s"]);

        int exit = await pd.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exit == 1, $"exit {exit}\n{pd.Output}\n{pd.Errors}");
        Assert.Contains(pd.Lines, l => l.Contains($"Nothing listens on {port}/tcp", StringComparison.Ordinal));
        Assert.Contains("Stopped after the --timeout of 3s", pd.Errors, StringComparison.Ordinal);
    }

    private static int FreeTcpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>A PortDoctor-kind checker on loopback whose <c>POST /api/v1/check</c> waits for <see cref="Answer"/>.</summary>
    private sealed class SlowChecker : IAsyncDisposable
    {
        private readonly HttpListener _listener;
        private readonly TaskCompletionSource<string> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _asked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _serving;

        private SlowChecker(HttpListener listener, string url)
        {
            _listener = listener;
            Url = url;
            _serving = Task.Run(ServeAsync);
        }

        public string Url { get; }

        /// <summary>Completes when PortDoctor asked for the check.</summary>
        public Task Asked => _asked.Task;

        public static SlowChecker Start()
        {
            for (int attempt = 0; ; attempt++)
            {
                string url = $"http://127.0.0.1:{FreeTcpPort().ToString(CultureInfo.InvariantCulture)}/";
                var listener = new HttpListener();
                listener.Prefixes.Add(url);
                try
                {
                    listener.Start();
                    return new SlowChecker(listener, url);
                }
                catch (HttpListenerException) when (attempt < 5)
                {
                    // The free port was taken in between: pick another.
                    listener.Close();
                }
            }
        }

        public void Answer(string state) => _answer.TrySetResult(state);

        public async ValueTask DisposeAsync()
        {
            _answer.TrySetResult("closed");
            _listener.Close();
            try
            {
                await _serving;
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // Closing the listener ends the accept loop.
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                _ = Task.Run(() => HandleAsync(context));
            }
        }

        private async Task HandleAsync(HttpListenerContext context)
        {
            string body;
            if (context.Request.HttpMethod == "POST")
            {
                using var request = JsonDocument.Parse(await new StreamReader(context.Request.InputStream).ReadToEndAsync());
                int port = request.RootElement.GetProperty("port").GetInt32();
                string protocol = request.RootElement.GetProperty("protocol").GetString()!;
                _asked.TrySetResult();
                string state = await _answer.Task;
                body = $$"""{"ip":"127.0.0.1","port":{{port}},"protocol":"{{protocol}}","state":"{{state}}","rttMs":1.0}""";
            }
            else
            {
                body = """{"ip":"127.0.0.1","port":40000}""";
            }

            byte[] bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            try
            {
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (HttpListenerException)
            {
                // PortDoctor went away (interrupted, timed out) before the answer.
            }
        }
    }

    /// <summary>
    /// The real program with stdout read line by line as it comes. Started through <c>env --default-signal=INT</c>:
    /// a test runner started in the background ignores SIGINT, and an ignored signal stays ignored in every child.
    /// </summary>
    private sealed class PortDoctorProcess : IAsyncDisposable
    {
        private readonly Channel<string> _incoming = Channel.CreateUnbounded<string>();
        private readonly List<string> _lines = [];
        private readonly StringBuilder _errors = new();
        private readonly string _stateDir;
        private readonly Task _reading;

        private PortDoctorProcess(Process process, string stateDir)
        {
            Process = process;
            _stateDir = stateDir;
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (_errors)
                    {
                        _errors.AppendLine(e.Data);
                    }
                }
            };
            process.BeginErrorReadLine();
            _reading = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync() is string line)
                {
                    lock (_lines)
                    {
                        _lines.Add(line);
                    }

                    _incoming.Writer.TryWrite(line);
                }

                _incoming.Writer.TryComplete();
            });
        }

        public Process Process { get; }

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public string Output => string.Join("\n", Lines);

        public string Errors
        {
            get
            {
                lock (_errors)
                {
                    return _errors.ToString();
                }
            }
        }

        public static PortDoctorProcess Start(string[] args)
        {
            string stateDir = Directory.CreateTempSubdirectory("pd-progress-").FullName;
            var info = new ProcessStartInfo("env") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (string a in new[] { "--default-signal=INT", RepoPaths.PortDoctorBinary }.Concat(args).Concat(["--state-dir", stateDir, "--lang", "en"]))
            {
                info.ArgumentList.Add(a);
            }

            var process = Process.Start(info)!;
            process.StandardInput.Close();
            return new PortDoctorProcess(process, stateDir);
        }

        public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan limit)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(limit);
            try
            {
                await foreach (string line in _incoming.Reader.ReadAllAsync(timeout.Token))
                {
                    if (match(line))
                    {
                        return line;
                    }
                }
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
            }

            Assert.Fail($"no such line within {limit.TotalSeconds:0} s\n--- stdout ---\n{Output}\n--- stderr ---\n{Errors}");
            return null!;
        }

        public async Task SignalAsync(string signal)
        {
            using var kill = Process.Start("kill", [$"-{signal}", Process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        public async Task<int> WaitForExitAsync(TimeSpan limit)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(limit);
            try
            {
                await Process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"portdoctor did not exit within {limit.TotalSeconds:0} s\n--- stdout ---\n{Output}\n--- stderr ---\n{Errors}");
            }

            await _reading;
            Process.WaitForExit(); // drains the stderr events
            return Process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                await Process.WaitForExitAsync();
            }

            Process.Dispose();
            try
            {
                Directory.Delete(_stateDir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp folder.
            }
        }
    }
}
