using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Net;
using PortDoctor.Core.Stun;
using PortDoctor.Protocol.Stun;

namespace PortDoctor.Core.Tests.Stun;

/// <summary>A tiny STUN server on 127.0.0.1 that answers Binding requests, optionally after dropping some.</summary>
internal sealed class LoopbackStunServer : IAsyncDisposable
{
    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _received;

    public LoopbackStunServer(int dropFirst = 0, bool wrongTransaction = false, bool sendNoise = false)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                UdpReceiveResult r;
                try
                {
                    r = await _socket.ReceiveAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                int n = Interlocked.Increment(ref _received);
                if (n <= dropFirst)
                {
                    continue;
                }

                if (sendNoise)
                {
                    await _socket.SendAsync(new byte[] { 1, 2, 3 }, r.RemoteEndPoint);
                }

                var txid = r.Buffer.AsSpan(8, 12).ToArray();
                if (wrongTransaction)
                {
                    txid[0] ^= 0xff;
                }

                await _socket.SendAsync(Response(txid, r.RemoteEndPoint), r.RemoteEndPoint);
            }
        });
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.Client.LocalEndPoint!;

    public int Received => Volatile.Read(ref _received);

    private static byte[] Response(byte[] txid, IPEndPoint client)
    {
        var m = new byte[32];
        BinaryPrimitives.WriteUInt16BigEndian(m, StunConstants.BindingSuccessResponse);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), 12);
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(4), StunConstants.MagicCookie);
        txid.CopyTo(m, 8);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(20), (ushort)StunAttributeType.XorMappedAddress);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(22), 8);
        m[25] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(26), (ushort)(client.Port ^ 0x2112));
        var a = client.Address.GetAddressBytes();
        for (int i = 0; i < 4; i++)
        {
            m[28 + i] = (byte)(a[i] ^ m[4 + i]);
        }

        return m;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _socket.Dispose();
        _stop.Dispose();
    }
}

public class StunClientTests
{
    private static StunClient Client(TimeSpan? budget = null) => new(UdpTransport.Create) { Budget = budget ?? TimeSpan.FromSeconds(3) };

    [Fact]
    public async Task Learns_the_mapped_address_from_a_server()
    {
        await using var server = new LoopbackStunServer();
        var result = await Client().QueryAsync(server.EndPoint, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(IPAddress.Loopback, result.MappedEndPoint!.Address);
        Assert.NotEqual(0, result.MappedEndPoint.Port);
        Assert.Equal(1, result.Transmissions);
    }

    [Fact]
    public async Task Retransmits_after_a_lost_request()
    {
        await using var server = new LoopbackStunServer(dropFirst: 1);
        var result = await Client().QueryAsync(server.EndPoint, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2, result.Transmissions);
        Assert.True(result.RttMs >= StunClient.InitialRto.TotalMilliseconds * 0.9, $"answered after {result.RttMs} ms");
    }

    [Fact]
    public async Task Ignores_noise_and_foreign_transactions_then_gives_up_within_the_budget()
    {
        await using var server = new LoopbackStunServer(wrongTransaction: true, sendNoise: true);
        var started = DateTime.UtcNow;
        var result = await Client(TimeSpan.FromMilliseconds(1200)).QueryAsync(server.EndPoint, TestContext.Current.CancellationToken);
        Assert.False(result.Succeeded);
        Assert.Contains("no answer within 1200 ms", result.Error, StringComparison.Ordinal);
        Assert.Contains("WrongTransaction", result.Error, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.Equal(2, server.Received); // sends at 0 and 500 ms; the next would be at 1500 ms
    }

    [Fact]
    public async Task Caller_cancellation_is_rethrown()
    {
        await using var server = new LoopbackStunServer(dropFirst: 100);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client().QueryAsync(server.EndPoint, cts.Token));
    }

    [Fact]
    public async Task Asks_several_servers_at_once()
    {
        await using var a = new LoopbackStunServer();
        await using var b = new LoopbackStunServer(dropFirst: 100);
        var results = await Client(TimeSpan.FromMilliseconds(700)).QueryAllAsync([a.EndPoint, b.EndPoint], TestContext.Current.CancellationToken);
        Assert.True(results[0].Succeeded);
        Assert.False(results[1].Succeeded);
    }
}
