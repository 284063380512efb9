using System.Net;
using System.Net.Sockets;

namespace PortDoctor.Checker.Tests;

/// <summary>Loopback-only helpers: free ports, and a TCP port that drops SYNs (a full accept queue).</summary>
internal static class TestNet
{
    public static int FreeTcpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

/// <summary>
/// A loopback listener that never accepts, with its accept queue filled: Linux then drops further SYNs
/// silently, which is exactly what a filtering firewall looks like to the checker.
/// </summary>
internal sealed class BlackHolePort : IDisposable
{
    private readonly Socket listener;
    private readonly List<Socket> fillers = [];

    private BlackHolePort(Socket listener, int port)
    {
        this.listener = listener;
        Port = port;
    }

    public int Port { get; }

    public static async Task<BlackHolePort> CreateAsync()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var hole = new BlackHolePort(listener, ((IPEndPoint)listener.LocalEndPoint!).Port);

        // Bounded: the queue of a backlog-0 listener holds one or two connections.
        for (int i = 0; i < 8; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            hole.fillers.Add(filler);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                await filler.ConnectAsync(new IPEndPoint(IPAddress.Loopback, hole.Port), cts.Token);
            }
            catch (OperationCanceledException)
            {
                return hole;
            }
        }

        hole.Dispose();
        throw new InvalidOperationException("The accept queue never filled; cannot simulate a filtered port.");
    }

    public void Dispose()
    {
        foreach (Socket s in fillers)
        {
            s.Dispose();
        }

        listener.Dispose();
    }
}
