using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Reachability;

/// <summary>Why a <see cref="TemporaryResponder"/> could not start.</summary>
internal enum ResponderStartFailure
{
    /// <summary>It started.</summary>
    None,

    /// <summary>Something already listens on the port (EADDRINUSE): check against that program instead.</summary>
    PortInUse,

    /// <summary>The OS refused the port (ports below 1024 need privileges on Unix).</summary>
    AccessDenied,

    /// <summary>Another socket error, described in the message.</summary>
    Other,
}

/// <summary>The outcome of <see cref="TemporaryResponder.TryStart"/>.</summary>
/// <param name="Responder">The running responder; null on failure. The caller disposes it.</param>
/// <param name="Failure">Why it did not start, or <see cref="ResponderStartFailure.None"/>.</param>
/// <param name="Error">What failed and the fix, or null.</param>
internal sealed record ResponderStartResult(TemporaryResponder? Responder, ResponderStartFailure Failure, string? Error);

/// <summary>
/// Listens on a port for the length of a check when the real program is not running yet. TCP: accepts
/// each connection and closes it at once, sending nothing. UDP: sends back every datagram that is exactly
/// the checker's nonce datagram (<see cref="CheckerNonce.Payload"/>) and ignores all others. Binds the
/// IPv4 and IPv6 wildcard addresses where the host has them (IPv6 socket set to IPv6-only so both coexist).
/// </summary>
internal sealed class TemporaryResponder : IAsyncDisposable
{
    // A check makes one connection; a small backlog is plenty and keeps the kernel's queue bounded.
    private const int ListenBacklog = 16;

    private readonly List<Socket> sockets;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> loops = [];
    private readonly string? nonce;
    private int answers;

    private TemporaryResponder(int port, TransportProtocol protocol, string? nonce, List<Socket> sockets)
    {
        Port = port;
        Protocol = protocol;
        this.nonce = nonce;
        this.sockets = sockets;
        LocalEndpoints = sockets.Select(s => (IPEndPoint)s.LocalEndPoint!).ToArray();
    }

    /// <summary>The port listened on, 1–65535.</summary>
    public int Port { get; }

    /// <summary>The protocol listened on.</summary>
    public TransportProtocol Protocol { get; }

    /// <summary>The addresses and port bound.</summary>
    public IReadOnlyList<IPEndPoint> LocalEndpoints { get; }

    /// <summary>How many connections were accepted (TCP) or nonce datagrams echoed (UDP).</summary>
    public int AnswerCount => Volatile.Read(ref answers);

    /// <summary>True once a connection was accepted (TCP) or a nonce datagram echoed (UDP).</summary>
    public bool Answered => AnswerCount > 0;

    /// <summary>Starts listening; never throws for bind failures.</summary>
    /// <param name="port">The port, 1–65535.</param>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="nonce">For UDP, the nonce to echo (see <see cref="CheckerNonce"/>); ignored for TCP.</param>
    /// <param name="bindAddresses">The addresses to bind; null for IPv4 any and IPv6 any. An IPv6 address the host lacks is skipped.</param>
    /// <returns>The running responder, or why it could not start.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is outside 1–65535.</exception>
    /// <exception cref="ArgumentException">UDP without a valid nonce.</exception>
    public static ResponderStartResult TryStart(int port, TransportProtocol protocol, string? nonce, IReadOnlyList<IPAddress>? bindAddresses = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (protocol == TransportProtocol.Udp && !CheckerNonce.IsValid(nonce))
        {
            throw new ArgumentException("A UDP responder needs a valid nonce.", nameof(nonce));
        }

        IReadOnlyList<IPAddress> addresses = bindAddresses ?? [IPAddress.Any, IPAddress.IPv6Any];
        var bound = new List<Socket>();
        foreach (IPAddress address in addresses)
        {
            Socket socket = protocol == TransportProtocol.Tcp
                ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
                : new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                if (address.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = false;
                }

                socket.Bind(new IPEndPoint(address, port));
                if (protocol == TransportProtocol.Tcp)
                {
                    socket.Listen(ListenBacklog);
                }

                bound.Add(socket);
            }
            catch (SocketException ex) when (address.AddressFamily == AddressFamily.InterNetworkV6 &&
                ex.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable)
            {
                socket.Dispose();
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                foreach (Socket s in bound)
                {
                    s.Dispose();
                }

                string name = $"{protocol.ToCli().ToUpperInvariant()} port {port}";
                return ex.SocketErrorCode switch
                {
                    SocketError.AddressAlreadyInUse => new ResponderStartResult(null, ResponderStartFailure.PortInUse,
                        $"Something already listens on {name} ({address}), so the check tests that program."),
                    SocketError.AccessDenied => new ResponderStartResult(null, ResponderStartFailure.AccessDenied,
                        $"The OS does not let PortDoctor listen on {name}: {ex.Message}. Run with administrator/root rights, or start the real program and check again."),
                    _ => new ResponderStartResult(null, ResponderStartFailure.Other,
                        $"Could not listen on {name} ({address}): {ex.Message}. Start the real program on the port and check again."),
                };
            }
        }

        if (bound.Count == 0)
        {
            return new ResponderStartResult(null, ResponderStartFailure.Other,
                $"No address to listen on for port {port}; start the real program on the port and check again.");
        }

        var responder = new TemporaryResponder(port, protocol, nonce, bound);
        responder.StartLoops();
        return new ResponderStartResult(responder, ResponderStartFailure.None, null);
    }

    /// <summary>Stops listening and closes every socket.</summary>
    /// <returns>A task that completes when the loops have ended.</returns>
    public async ValueTask DisposeAsync()
    {
        if (stop.IsCancellationRequested)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        foreach (Socket socket in sockets)
        {
            socket.Dispose();
        }

        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closing the sockets ends the loops with these; nothing is left to clean up.
        }

        stop.Dispose();
    }

    private void StartLoops()
    {
        foreach (Socket socket in sockets)
        {
            loops.Add(Protocol == TransportProtocol.Tcp ? AcceptLoopAsync(socket, stop.Token) : EchoLoopAsync(socket, stop.Token));
        }
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref answers);
            client.Dispose();
        }
    }

    private async Task EchoLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[512];
        EndPoint any = socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // An ICMP error for an earlier echo, or an oversized stray datagram: neither ends the responder.
                continue;
            }

            if (CheckerNonce.Matches(buffer.AsSpan(0, received.ReceivedBytes), nonce!))
            {
                // Counted before sending, so that whoever receives the echo already sees Answered.
                Interlocked.Increment(ref answers);
                await socket.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, received.RemoteEndPoint, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
