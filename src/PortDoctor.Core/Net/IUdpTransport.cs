using System.Net;

namespace PortDoctor.Core.Net;

/// <summary>
/// A UDP socket seam: SSDP discovery, NAT-PMP and PCP talk through this so tests can script the network.
/// One instance is one socket; not safe for concurrent sends, but one receive may run alongside sends.
/// </summary>
public interface IUdpTransport : IDisposable
{
    /// <summary>The bound local endpoint, or null before <see cref="Bind"/>.</summary>
    IPEndPoint? LocalEndPoint { get; }

    /// <summary>Binds the socket to a local address and port (port 0 = any free port).</summary>
    /// <param name="localEndPoint">The local endpoint, e.g. the interface address facing the gateway.</param>
    /// <exception cref="System.Net.Sockets.SocketException">The address is not local or the port is taken.</exception>
    void Bind(IPEndPoint localEndPoint);

    /// <summary>Chooses the interface and hop limit for outgoing IPv4 multicast (IP_MULTICAST_IF / IP_MULTICAST_TTL).</summary>
    /// <param name="interfaceAddress">The IPv4 address of the interface to send multicast from.</param>
    /// <param name="timeToLive">The multicast TTL, 1–255; UDA 1.1 §1.1.2 recommends 2 for SSDP.</param>
    /// <exception cref="ArgumentException">The address is not IPv4.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The OS refused the option.</exception>
    void SetMulticastInterface(IPAddress interfaceAddress, int timeToLive);

    /// <summary>
    /// Connects the socket to one remote endpoint, so that only its datagrams are received and an ICMP
    /// port-unreachable for an earlier send ends the next receive or send with a
    /// <see cref="System.Net.Sockets.SocketException"/> whose error is
    /// <see cref="System.Net.Sockets.SocketError.ConnectionRefused"/>: "nothing listens there", known at once
    /// instead of after a timeout. NAT-PMP and PCP exchanges use it. Call after <see cref="Bind"/>. The default
    /// implementation does nothing (a scripted transport then simply never reports refusal).
    /// </summary>
    /// <param name="remoteEndPoint">The only peer to talk to.</param>
    /// <exception cref="System.Net.Sockets.SocketException">The OS refused (no route, wrong family).</exception>
    void Connect(IPEndPoint remoteEndPoint)
    {
    }

    /// <summary>Sends one datagram.</summary>
    /// <param name="datagram">The payload.</param>
    /// <param name="remoteEndPoint">Where to send it.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the datagram was handed to the OS.</returns>
    /// <exception cref="System.Net.Sockets.SocketException">The OS refused the send (no route, etc.).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remoteEndPoint, CancellationToken cancellationToken);

    /// <summary>Waits for one datagram from any sender.</summary>
    /// <param name="buffer">Where to put the payload; a larger datagram is truncated to its length.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The payload length in bytes and the sender.</returns>
    /// <exception cref="System.Net.Sockets.SocketException">The OS reported an error.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The transport was disposed while waiting.</exception>
    ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);
}

/// <summary>One received datagram.</summary>
/// <param name="Length">The payload length in bytes in the caller's buffer.</param>
/// <param name="RemoteEndPoint">The sender's address and port.</param>
public readonly record struct ReceivedDatagram(int Length, IPEndPoint RemoteEndPoint);
