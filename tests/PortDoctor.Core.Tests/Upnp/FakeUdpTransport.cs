using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Threading.Channels;
using PortDoctor.Core.Net;

namespace PortDoctor.Core.Tests.Upnp;

/// <summary>An in-memory UDP socket: records sends, and a script turns each send into replies.</summary>
internal sealed class FakeUdpTransport : IUdpTransport
{
    private readonly Channel<(byte[] Data, IPEndPoint From)> _inbox = Channel.CreateUnbounded<(byte[], IPEndPoint)>();

    public FakeUdpTransport(Func<string, IPEndPoint, IEnumerable<(string Reply, IPEndPoint From)>> script) => Script = script;

    public Func<string, IPEndPoint, IEnumerable<(string Reply, IPEndPoint From)>> Script { get; }

    public ConcurrentQueue<(string Text, IPEndPoint To)> Sent { get; } = new();

    public IPEndPoint? LocalEndPoint { get; private set; }

    public IPAddress? MulticastInterface { get; private set; }

    public bool Disposed { get; private set; }

    public void Bind(IPEndPoint localEndPoint) => LocalEndPoint = localEndPoint;

    public void SetMulticastInterface(IPAddress interfaceAddress, int timeToLive) => MulticastInterface = interfaceAddress;

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remoteEndPoint, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        string text = Encoding.ASCII.GetString(datagram.Span);
        Sent.Enqueue((text, remoteEndPoint));
        foreach ((string reply, IPEndPoint from) in Script(text, remoteEndPoint))
        {
            _inbox.Writer.TryWrite((Encoding.ASCII.GetBytes(reply), from));
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        (byte[] Data, IPEndPoint From) item;
        try
        {
            item = await _inbox.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(FakeUdpTransport)); // what a closed socket does
        }

        (byte[] data, IPEndPoint from) = item;
        int length = Math.Min(data.Length, buffer.Length);
        data.AsMemory(0, length).CopyTo(buffer);
        return new ReceivedDatagram(length, from);
    }

    public void Dispose()
    {
        Disposed = true;
        _inbox.Writer.TryComplete();
    }
}
