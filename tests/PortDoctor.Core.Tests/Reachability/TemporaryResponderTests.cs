using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Core.Tests.Reachability;

/// <summary>The responder on loopback only.</summary>
public class TemporaryResponderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static int FreePort(SocketType type)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    [Fact]
    public async Task Tcp_responder_accepts_and_closes()
    {
        int port = FreePort(SocketType.Stream);
        ResponderStartResult start = TemporaryResponder.TryStart(port, TransportProtocol.Tcp, null, [IPAddress.Loopback]);
        await using TemporaryResponder responder = Assert.IsType<TemporaryResponder>(start.Responder);
        Assert.False(responder.Answered);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Ct);
        int read = await client.ReceiveAsync(new byte[8], SocketFlags.None, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);

        Assert.Equal(0, read); // closed by the responder without sending anything
        Assert.True(responder.Answered);
        Assert.Equal(1, responder.AnswerCount);
    }

    [Fact]
    public async Task Udp_responder_echoes_only_the_nonce_datagram()
    {
        int port = FreePort(SocketType.Dgram);
        ResponderStartResult start = TemporaryResponder.TryStart(port, TransportProtocol.Udp, "nonce-1", [IPAddress.Loopback]);
        await using TemporaryResponder responder = start.Responder!;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(new IPEndPoint(IPAddress.Loopback, port));

        await client.SendAsync(CheckerNonce.Payload("other"), SocketFlags.None, Ct);
        await client.SendAsync(CheckerNonce.Payload("nonce-1"), SocketFlags.None, Ct);
        byte[] buffer = new byte[128];
        int n = await client.ReceiveAsync(buffer, SocketFlags.None, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);

        Assert.True(CheckerNonce.Matches(buffer.AsSpan(0, n), "nonce-1"));
        Assert.Equal(1, responder.AnswerCount);
    }

    [Theory]
    [InlineData(TransportProtocol.Tcp)]
    [InlineData(TransportProtocol.Udp)]
    public async Task Busy_port_is_reported_not_thrown(TransportProtocol protocol)
    {
        using var holder = protocol == TransportProtocol.Tcp
            ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        if (protocol == TransportProtocol.Tcp)
        {
            holder.Listen();
        }

        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        ResponderStartResult start = TemporaryResponder.TryStart(port, protocol, "n", [IPAddress.Loopback]);
        Assert.Null(start.Responder);
        Assert.Equal(ResponderStartFailure.PortInUse, start.Failure);
        Assert.Contains($"port {port}", start.Error, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Dispose_releases_the_port()
    {
        int port = FreePort(SocketType.Stream);
        ResponderStartResult first = TemporaryResponder.TryStart(port, TransportProtocol.Tcp, null, [IPAddress.Loopback]);
        await first.Responder!.DisposeAsync();
        ResponderStartResult second = TemporaryResponder.TryStart(port, TransportProtocol.Tcp, null, [IPAddress.Loopback]);
        await using TemporaryResponder responder = Assert.IsType<TemporaryResponder>(second.Responder);
    }

    [Fact]
    public void Default_binds_ipv4_any_and_ipv6_any_where_available()
    {
        int port = FreePort(SocketType.Dgram);
        ResponderStartResult start = TemporaryResponder.TryStart(port, TransportProtocol.Udp, "n");
        using var _ = new DisposeSync(start.Responder!);
        Assert.Contains(start.Responder!.LocalEndpoints, e => e.Address.Equals(IPAddress.Any));
        if (Socket.OSSupportsIPv6)
        {
            Assert.Contains(start.Responder.LocalEndpoints, e => e.Address.Equals(IPAddress.IPv6Any));
        }
    }

    private sealed class DisposeSync(IAsyncDisposable inner) : IDisposable
    {
        public void Dispose() => inner.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
