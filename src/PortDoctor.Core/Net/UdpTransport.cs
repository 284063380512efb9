using System.Net;
using System.Net.Sockets;

namespace PortDoctor.Core.Net;

/// <summary>The real <see cref="IUdpTransport"/> over <see cref="Socket"/>.</summary>
public sealed class UdpTransport : IUdpTransport
{
    // SIO_UDP_CONNRESET: without turning it off, Windows ends pending receives with ConnectionReset when an
    // earlier datagram drew an ICMP port-unreachable (common when a gateway has no SSDP/NAT-PMP listener).
    private const int SioUdpConnReset = -1744830452;

    private readonly Socket _socket;
    private IPEndPoint? _connectedTo;

    /// <summary>Creates an unbound UDP socket.</summary>
    /// <param name="addressFamily">InterNetwork or InterNetworkV6.</param>
    /// <exception cref="SocketException">The OS could not create the socket.</exception>
    public UdpTransport(AddressFamily addressFamily)
    {
        _socket = new Socket(addressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (OperatingSystem.IsWindows())
        {
            _socket.IOControl(SioUdpConnReset, [0, 0, 0, 0], null);
        }
    }

    /// <summary>A factory with the shape the discoverer and NAT-PMP/PCP clients take.</summary>
    /// <param name="addressFamily">InterNetwork or InterNetworkV6.</param>
    /// <returns>A new transport.</returns>
    /// <exception cref="SocketException">The OS could not create the socket.</exception>
    public static IUdpTransport Create(AddressFamily addressFamily) => new UdpTransport(addressFamily);

    /// <inheritdoc/>
    public IPEndPoint? LocalEndPoint => _socket.IsBound ? _socket.LocalEndPoint as IPEndPoint : null;

    /// <inheritdoc/>
    public void Bind(IPEndPoint localEndPoint) => _socket.Bind(localEndPoint);

    /// <inheritdoc/>
    public void Connect(IPEndPoint remoteEndPoint)
    {
        ArgumentNullException.ThrowIfNull(remoteEndPoint);
        _socket.Connect(remoteEndPoint);
        _connectedTo = remoteEndPoint;
    }

    /// <inheritdoc/>
    public void SetMulticastInterface(IPAddress interfaceAddress, int timeToLive)
    {
        ArgumentNullException.ThrowIfNull(interfaceAddress);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeToLive, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeToLive, 255);
        if (interfaceAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("Only an IPv4 interface address can be set here.", nameof(interfaceAddress));
        }

        _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, interfaceAddress.GetAddressBytes());
        _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, timeToLive);
    }

    /// <inheritdoc/>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remoteEndPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remoteEndPoint);
        if (_connectedTo is not null && _connectedTo.Equals(remoteEndPoint))
        {
            // send() rather than sendto() on a connected socket: the kernel then reports a pending ICMP error here.
            await _socket.SendAsync(datagram, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _socket.SendToAsync(datagram, SocketFlags.None, remoteEndPoint, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_connectedTo is not null)
        {
            // recv() on the connected socket: it reports a pending ICMP error (ConnectionRefused) as soon as it arrives.
            int length = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            return new ReceivedDatagram(length, _connectedTo);
        }

        EndPoint any = _socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        SocketReceiveFromResult result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
        return new ReceivedDatagram(result.ReceivedBytes, (IPEndPoint)result.RemoteEndPoint);
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();
}
