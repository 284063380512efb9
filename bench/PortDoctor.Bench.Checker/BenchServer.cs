using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortDoctor.Checker;

namespace PortDoctor.Bench.Checker;

/// <summary>The real checker on 127.0.0.1 with the bench's options, and an always-accepting TCP port to probe.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly Socket listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task[] acceptLoops;

    private BenchServer(WebApplication app, Socket listener)
    {
        App = app;
        this.listener = listener;
        BaseAddress = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        OpenPort = ((IPEndPoint)listener.LocalEndPoint!).Port;
        acceptLoops = [AcceptLoopAsync(), AcceptLoopAsync()];
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public int OpenPort { get; }

    /// <param name="configure">Option changes for the run.</param>
    /// <param name="http2Only">Serve HTTP/2 with prior knowledge (cleartext) instead of HTTP/1.1, so many requests share a connection.</param>
    public static async Task<BenchServer> StartAsync(Action<CheckerOptions> configure, bool http2Only = false)
    {
        // Lifted for the run: the bench is one address making thousands of requests.
        var options = new CheckerOptions { AllowPrivate = true, RateLimitPermits = int.MaxValue, RateLimitWindow = TimeSpan.FromSeconds(1) };
        configure(options);
        WebApplication app = CheckerServer.BuildApp(options, ["http://127.0.0.1:0"], logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (http2Only)
        {
            // Kestrel reads its options when it starts, so endpoint defaults set here still apply.
            app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value
                .ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2);
        }

        await app.StartAsync().ConfigureAwait(false);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4096);
        return new BenchServer(app, listener);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        listener.Dispose();
        await Task.WhenAll(acceptLoops.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                Socket accepted = await listener.AcceptAsync(stop.Token).ConfigureAwait(false);
                accepted.Dispose();
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }
}
