using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PortDoctor.Checker.Tests;

/// <summary>
/// A throw-away redis-server on 127.0.0.1 at a free port, no persistence. Tests skip when the Debian
/// package <c>redis-server</c> is not installed.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];
    private readonly Process process;

    private RedisServer(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        string? exe = Candidates.FirstOrDefault(File.Exists);
        if (exe is null)
        {
            Assert.Skip("redis-server is not installed (Debian package redis-server); the shared rate limit is tested against a real server only.");
        }

        int port = TestNet.FreeTcpPort();
        var info = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no", "--loglevel", "warning" })
        {
            info.ArgumentList.Add(arg);
        }

        Process process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, port);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
                return server;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
            catch (SocketException)
            {
                server.Dispose();
                throw new InvalidOperationException($"redis-server did not listen on 127.0.0.1:{port} within 10 s (exited: {process.HasExited}).");
            }
        }
    }

    /// <summary>Kills the server (an outage, from the checker's point of view).</summary>
    public void Stop()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(5000);
        }
    }

    public void Dispose()
    {
        Stop();
        process.Dispose();
    }
}
