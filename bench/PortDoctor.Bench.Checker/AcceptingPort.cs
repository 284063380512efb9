using System.Net;
using System.Net.Sockets;

namespace PortDoctor.Bench.Checker;

/// <summary>A TCP port on 127.0.0.1 that accepts every connection and closes it: the "open" port the checks probe.</summary>
internal sealed class AcceptingPort : IAsyncDisposable
{
    private readonly Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource stop = new();
    private readonly Task[] acceptLoops;

    public AcceptingPort()
    {
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4096);
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        acceptLoops = [AcceptLoopAsync(), AcceptLoopAsync()];
    }

    public int Port { get; }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        listener.Dispose();
        await Task.WhenAll(acceptLoops.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
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
