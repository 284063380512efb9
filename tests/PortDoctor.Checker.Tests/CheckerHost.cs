using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PortDoctor.Checker.Tests;

/// <summary>The real checker on Kestrel at 127.0.0.1 with a free port, plus a client that records its local port.</summary>
internal sealed class CheckerHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private CheckerHost(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                LastLocalPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        Http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public int LastLocalPort { get; private set; }

    public WebApplication App => app;

    public ProbeGauge Gauge => app.Services.GetRequiredService<ProbeGauge>();

    public static async Task<CheckerHost> StartAsync(Action<CheckerOptions>? configure = null, Action<ILoggingBuilder>? logging = null)
    {
        var options = new CheckerOptions { AllowPrivate = true };
        configure?.Invoke(options);
        WebApplication app = CheckerServer.BuildApp(options, ["http://127.0.0.1:0"], logging);
        await app.StartAsync(TestContext.Current.CancellationToken);
        string url = app.Urls.Single();
        return new CheckerHost(app, new Uri(url.EndsWith('/') ? url : url + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
