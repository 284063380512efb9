using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Checker;

/// <summary>The result of one probe.</summary>
/// <param name="State">What was seen.</param>
/// <param name="RttMs">Milliseconds to the answer, rounded to 0.1; null when nothing answered.</param>
public sealed record ProbeResult(ReachabilityState State, double? RttMs);

/// <summary>Connects back to a caller. Sends nothing over TCP; sends exactly one datagram for UDP.</summary>
/// <param name="connectTimeout">How long a TCP connect may take before the port counts as filtered.</param>
/// <param name="udpReplyTimeout">How long to wait for the UDP echo before the port counts as filtered.</param>
/// <param name="timeProvider">The clock for round-trip times.</param>
public sealed class Prober(TimeSpan connectTimeout, TimeSpan udpReplyTimeout, TimeProvider timeProvider)
{
    /// <summary>Tries a TCP connection and closes it at once: open on connect, closed on RST, filtered on silence or ICMP unreachable.</summary>
    /// <param name="target">The caller's address and port.</param>
    /// <param name="cancellationToken">Cancels the probe (the request was aborted); rethrown.</param>
    /// <returns>The state and round-trip time.</returns>
    public async Task<ProbeResult> ProbeTcpAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connectTimeout);
        long started = timeProvider.GetTimestamp();
        try
        {
            await socket.ConnectAsync(target, timeout.Token).ConfigureAwait(false);
            double rtt = Elapsed(started);

            // A plain close (FIN) after the handshake: the application sees a connection that says nothing.
            socket.Shutdown(SocketShutdown.Both);
            return new ProbeResult(ReachabilityState.Open, rtt);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(ReachabilityState.Filtered, null);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return new ProbeResult(ReachabilityState.Closed, Elapsed(started));
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.HostUnreachable or SocketError.NetworkUnreachable
            or SocketError.TimedOut or SocketError.AccessDenied or SocketError.HostDown)
        {
            // ICMP unreachable/administratively prohibited from a router or firewall: something on the
            // path rejects the packet, which nmap also calls filtered.
            return new ProbeResult(ReachabilityState.Filtered, null);
        }
    }

    /// <summary>
    /// Sends one datagram carrying the nonce and waits for the identical datagram back from the same
    /// address and port: open when it comes, filtered otherwise (an ICMP port unreachable included,
    /// since a router without forwarding sends one as readily as a PC without a listener).
    /// </summary>
    /// <param name="target">The caller's address and port.</param>
    /// <param name="nonce">A valid nonce (see <see cref="CheckerNonce"/>).</param>
    /// <param name="cancellationToken">Cancels the probe (the request was aborted); rethrown.</param>
    /// <returns>The state and round-trip time.</returns>
    public async Task<ProbeResult> ProbeUdpAsync(IPEndPoint target, string nonce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        byte[] payload = CheckerNonce.Payload(nonce);
        using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);

        // A connected UDP socket only receives datagrams from the target address and port.
        socket.Connect(target);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(udpReplyTimeout);
        long started = timeProvider.GetTimestamp();
        byte[] buffer = new byte[512];
        try
        {
            await socket.SendAsync(payload, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            while (true)
            {
                int received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (CheckerNonce.Matches(buffer.AsSpan(0, received), nonce))
                {
                    return new ProbeResult(ReachabilityState.Open, Elapsed(started));
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(ReachabilityState.Filtered, null);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset
            or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.MessageSize)
        {
            return new ProbeResult(ReachabilityState.Filtered, null);
        }
    }

    private double Elapsed(long started) => Math.Round(timeProvider.GetElapsedTime(started).TotalMilliseconds, 1);
}
