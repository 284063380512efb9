using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PortDoctor.Core.Tests.Fakes;

/// <summary>How the fake answers PCP (version 2) requests.</summary>
internal enum FakePcpMode
{
    /// <summary>Speaks PCP.</summary>
    Pcp,

    /// <summary>An old NAT-PMP-only router: answers PCP with the 8-byte NAT-PMP "unsupported version" (docs/quirks.md#Q-PCP-NATPMP-ONLY).</summary>
    NatPmpOnly,

    /// <summary>Does not answer PCP at all.</summary>
    Silent,
}

/// <summary>
/// A NAT-PMP + PCP gateway on 127.0.0.1 (random UDP port) with a mapping table. It parses requests itself
/// (byte offsets from RFC 6886/6887, independent of the code under test), enforces PCP nonces for renew and
/// delete like miniupnpd (docs/quirks.md#Q-PCP-NONCE), and can drop packets, reboot, or misbehave on request.
/// </summary>
internal sealed class FakePmpGateway : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _otherSocket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _lock = new();
    private long _epochStart = Stopwatch.GetTimestamp();
    private int _dropped;

    public FakePmpGateway()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _otherSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = Task.Run(LoopAsync);
    }

    public sealed record Mapping(byte Protocol, IPAddress Client, ushort InternalPort, ushort ExternalPort, uint Lifetime, byte[]? Nonce);

    public sealed record Received(byte[] Data, IPEndPoint From, TimeSpan At);

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public IPAddress ExternalAddress { get; set; } = IPAddress.Parse("11.0.0.2");

    /// <summary>The epoch reported right after start or <see cref="Reboot"/>, in seconds; it then grows with real time.</summary>
    public uint EpochBase { get; set; } = 10_000;

    public bool NatPmpEnabled { get; set; } = true;

    public FakePcpMode PcpMode { get; set; } = FakePcpMode.Pcp;

    /// <summary>Drop this many requests before answering any (retransmission tests).</summary>
    public int DropFirst { get; set; }

    /// <summary>When set, every NAT-PMP MAP/external-address answer carries this result code.</summary>
    public ushort? NatPmpResult { get; set; }

    /// <summary>When set, every PCP MAP answer carries this result code.</summary>
    public byte? PcpResult { get; set; }

    /// <summary>Answer NAT-PMP MAP with only the low byte of each port (docs/quirks.md#Q-NATPMP-PORT-TRUNCATED).</summary>
    public bool TruncatePorts { get; set; }

    /// <summary>Before each real PCP answer, send a copy with another nonce, and junk from another port.</summary>
    public bool SendDecoysFirst { get; set; }

    /// <summary>Send only the decoys of <see cref="SendDecoysFirst"/>, never the real PCP answer.</summary>
    public bool DecoysOnly { get; set; }

    /// <summary>External ports held by someone else: the fake grants the next free one instead.</summary>
    public HashSet<ushort> TakenExternalPorts { get; } = [];

    public ConcurrentQueue<Received> Requests { get; } = new();

    public int RequestCount => Requests.Count;

    public IReadOnlyList<Mapping> Mappings
    {
        get
        {
            lock (_lock)
            {
                return [.. _table.Values];
            }
        }
    }

    private readonly Dictionary<(byte Protocol, IPAddress Client, ushort InternalPort), Mapping> _table = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Loses every mapping and restarts the epoch at <see cref="EpochBase"/> 0 (a router reboot).</summary>
    public void Reboot()
    {
        lock (_lock)
        {
            _table.Clear();
            EpochBase = 0;
            _epochStart = Stopwatch.GetTimestamp();
        }
    }

    private uint Epoch => EpochBase + (uint)Stopwatch.GetElapsedTime(_epochStart).TotalSeconds;

    private async Task LoopAsync()
    {
        byte[] buffer = new byte[2048];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            var from = (IPEndPoint)result.RemoteEndPoint;
            byte[] data = buffer.AsSpan(0, result.ReceivedBytes).ToArray();
            Requests.Enqueue(new Received(data, from, _clock.Elapsed));
            if (Interlocked.Increment(ref _dropped) <= DropFirst)
            {
                continue;
            }

            foreach ((byte[] reply, bool fromOther) in Answer(data, from))
            {
                await (fromOther ? _otherSocket : _socket).SendToAsync(reply, SocketFlags.None, from);
            }
        }
    }

    private List<(byte[] Reply, bool FromOther)> Answer(byte[] request, IPEndPoint from)
    {
        if (request.Length < 2)
        {
            return [];
        }

        return request[0] switch
        {
            0 when NatPmpEnabled => [(AnswerNatPmp(request, from), false)],
            2 => PcpMode switch
            {
                FakePcpMode.Pcp => AnswerPcp(request, from),
                // docs/quirks.md#Q-PCP-NATPMP-ONLY: version 0, opcode 128 + request opcode, result 1, epoch; nothing more.
                FakePcpMode.NatPmpOnly => [([0, (byte)(128 + (request[1] & 0x7F)), 0, 1, .. BigEndian32(Epoch)], false)],
                _ => [],
            },
            _ => [],
        };
    }

    private byte[] AnswerNatPmp(byte[] request, IPEndPoint from)
    {
        byte opcode = request[1];
        ushort result = NatPmpResult ?? 0;
        if (opcode == 0)
        {
            return [0, 128, .. BigEndian16(result), .. BigEndian32(Epoch), .. ExternalAddress.GetAddressBytes()];
        }

        if (opcode is not (1 or 2) || request.Length < 12)
        {
            return [0, (byte)(128 + opcode), 0, 5, .. BigEndian32(Epoch)]; // unsupported opcode, short form
        }

        ushort internalPort = BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(4));
        ushort suggested = BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(6));
        uint lifetime = BinaryPrimitives.ReadUInt32BigEndian(request.AsSpan(8));
        ushort granted = 0;
        if (result == 0)
        {
            (granted, lifetime) = Apply(opcode == 1 ? (byte)17 : (byte)6, from.Address, internalPort, suggested, lifetime, null, out _);
        }

        if (TruncatePorts)
        {
            internalPort &= 0xFF;
            granted &= 0xFF;
        }

        return [0, (byte)(128 + opcode), .. BigEndian16(result), .. BigEndian32(Epoch), .. BigEndian16(internalPort), .. BigEndian16(granted), .. BigEndian32(lifetime)];
    }

    private List<(byte[] Reply, bool FromOther)> AnswerPcp(byte[] request, IPEndPoint from)
    {
        byte opcode = (byte)(request[1] & 0x7F);
        var header = new byte[24];
        header[0] = 2;
        header[1] = (byte)(0x80 | opcode);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), Epoch);
        if (request.Length < 24 || request.Length % 4 != 0)
        {
            header[3] = 3; // MALFORMED_REQUEST
            return [(header, false)];
        }

        var client = new IPAddress(request.AsSpan(8, 16));
        if (!(client.IsIPv4MappedToIPv6 && client.MapToIPv4().Equals(from.Address)))
        {
            header[3] = 12; // ADDRESS_MISMATCH
            return [(header, false)];
        }

        if (opcode == 0)
        {
            return [(header, false)];
        }

        if (opcode != 1 || request.Length < 60)
        {
            header[3] = opcode != 1 ? (byte)4 : (byte)3;
            return [(header, false)];
        }

        byte[] body = request[24..60];
        byte[] nonce = body[..12];
        byte protocol = body[12];
        ushort internalPort = BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(16));
        ushort suggested = BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(18));
        uint lifetime = BinaryPrimitives.ReadUInt32BigEndian(request.AsSpan(4));
        byte result = PcpResult ?? 0;
        ushort granted = suggested;
        if (result == 0)
        {
            (granted, lifetime) = Apply(protocol, from.Address, internalPort, suggested, lifetime, nonce, out bool nonceRefused);
            if (nonceRefused)
            {
                result = 2; // NOT_AUTHORIZED: another nonce than the one that made the mapping (docs/quirks.md#Q-PCP-NONCE)
            }
        }

        byte[] answer = [.. header, .. body];
        answer[3] = result;
        BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(4), result == 0 ? lifetime : 30);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(42), granted);
        ExternalAddress.MapToIPv6().TryWriteBytes(answer.AsSpan(44, 16), out _);
        var replies = new List<(byte[], bool)>();
        if (SendDecoysFirst || DecoysOnly)
        {
            byte[] decoy = [.. answer];
            decoy[24] ^= 0xFF;
            replies.Add((decoy, false));
            replies.Add((answer, true));
        }

        if (!DecoysOnly)
        {
            replies.Add((answer, false));
        }

        return replies;
    }

    private (ushort Granted, uint Lifetime) Apply(byte protocol, IPAddress client, ushort internalPort, ushort suggested, uint lifetime, byte[]? nonce, out bool nonceRefused)
    {
        nonceRefused = false;
        lock (_lock)
        {
            var key = (protocol, client, internalPort);
            bool exists = _table.TryGetValue(key, out Mapping? current);
            if (exists && nonce is not null && !current!.Nonce!.AsSpan().SequenceEqual(nonce))
            {
                nonceRefused = true;
                return (0, 0);
            }

            if (lifetime == 0)
            {
                _table.Remove(key);
                return (exists ? current!.ExternalPort : (ushort)0, 0);
            }

            ushort granted = exists ? current!.ExternalPort : suggested == 0 ? (ushort)40000 : suggested;
            while (!exists && (TakenExternalPorts.Contains(granted) || _table.Values.Any(m => m.Protocol == protocol && m.ExternalPort == granted)))
            {
                granted++;
            }

            uint capped = Math.Min(lifetime, 86400);
            _table[key] = new Mapping(protocol, client, internalPort, granted, capped, nonce);
            return (granted, capped);
        }
    }

    private static byte[] BigEndian16(ushort value)
    {
        byte[] b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, value);
        return b;
    }

    private static byte[] BigEndian32(uint value)
    {
        byte[] b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return b;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        _otherSocket.Dispose();
        try
        {
            await _loop;
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }

        _stop.Dispose();
    }
}
