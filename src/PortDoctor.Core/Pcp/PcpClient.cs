using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.NatPmp;
using PortDoctor.Core.Net;
using PortDoctor.Protocol.Pcp;

namespace PortDoctor.Core.Pcp;

/// <summary>The answer to a PCP request: a PCP response, or the news that the server speaks only NAT-PMP.</summary>
/// <param name="Response">The PCP response; null when <paramref name="ServerSpeaksOnlyNatPmp"/> is true.</param>
/// <param name="ServerSpeaksOnlyNatPmp">True when the server answered with NAT-PMP "unsupported version" (RFC 6887 §9,
/// docs/quirks.md#Q-PCP-NATPMP-ONLY): switch to NAT-PMP at once.</param>
internal sealed record PcpAnswer(PcpResponse? Response, bool ServerSpeaksOnlyNatPmp);

/// <summary>
/// Talks PCP (RFC 6887) to one gateway over IPv4. Retransmission deliberately departs from §8.1.1: its initial
/// retransmission time of 3 s (and unbounded retries) is meant for servers that may be several hops away; ours
/// is the router on the LAN, which answers within milliseconds, so the first retransmission goes out after
/// <see cref="PmpClientOptions.InitialRetransmit"/> (250 ms), doubling, within <see cref="PmpClientOptions.RequestBudget"/>.
/// The random jitter of §8.1.1 is left out too: it spreads many clients' retries, and here there is one.
/// Answers from other addresses or ports, and MAP answers with another nonce, protocol or internal port, are
/// ignored and the client keeps waiting (§8.3, §11.3). A NAT-PMP "unsupported version" answer ends the
/// exchange at once. Follows the server's epoch (§8.5).
/// </summary>
internal sealed class PcpClient : PmpClientBase
{
    /// <summary>Creates a client.</summary>
    /// <param name="gateway">The gateway's IPv4 address (the PCP server).</param>
    /// <param name="localAddress">This PC's IPv4 address on the gateway's subnet: requests leave from it and it is the
    /// client address in every request header (the server answers ADDRESS_MISMATCH otherwise, §8.1).</param>
    /// <param name="transportFactory">Creates UDP sockets (<see cref="UdpTransport.Create"/> for real use).</param>
    /// <param name="options">Timing and server port; defaults when null.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">An address is not IPv4, or the local address is unspecified.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public PcpClient(IPAddress gateway, IPAddress localAddress, Func<AddressFamily, IUdpTransport> transportFactory, PmpClientOptions? options = null)
        : base(gateway, localAddress, transportFactory, options, EpochRule.Pcp, "PCP")
    {
        if (localAddress.Equals(IPAddress.Any))
        {
            throw new ArgumentException("PCP needs this PC's real address toward the gateway (it goes into every request), not 0.0.0.0.", nameof(localAddress));
        }
    }

    /// <summary>Sends ANNOUNCE (RFC 6887 §14.1) within <paramref name="budget"/>: a PCP server answers it, which shows it is there.</summary>
    /// <param name="budget">Total time allowed, retransmissions included.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The answer; error result codes are returned, not thrown.</returns>
    /// <exception cref="TimeoutException">No answer within <paramref name="budget"/>.</exception>
    /// <exception cref="SocketException">The socket could not be bound or the request not sent (no route).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PcpAnswer> AnnounceAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        PcpAnswer answer = await ExchangeAsync(
            PcpAnnounceRequest.ToArray(LocalAddress),
            budget,
            static (ReadOnlySpan<byte> d, out PcpAnswer a, out string? why) =>
                Classify(PcpResponseReader.TryReadAnnounce(d, out PcpResponse? r, out PcpReadFailure f, out why), r, f, out a),
            "PCP ANNOUNCE",
            cancellationToken).ConfigureAwait(false);
        Observe(answer);
        return answer;
    }

    /// <summary>Sends a MAP request (RFC 6887 §11); lifetime 0 deletes (§15).</summary>
    /// <param name="request">The request; its client address should be <see cref="PmpClientBase.LocalAddress"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The answer matching the request's nonce, protocol and internal port; error result codes are returned, not thrown.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="TimeoutException">No matching answer within <see cref="PmpClientOptions.RequestBudget"/>.</exception>
    /// <exception cref="SocketException">The socket could not be bound or the request not sent (no route).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PcpAnswer> MapAsync(PcpMapRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PcpAnswer answer = await ExchangeAsync(
            request.ToArray(),
            Options.RequestBudget,
            (ReadOnlySpan<byte> d, out PcpAnswer a, out string? why) =>
                Classify(PcpResponseReader.TryReadMap(d, request, out PcpResponse? r, out PcpReadFailure f, out why), r, f, out a),
            request.LifetimeSeconds == 0 ? "PCP MAP delete" : "PCP MAP",
            cancellationToken).ConfigureAwait(false);
        Observe(answer);
        return answer;
    }

    private static bool Classify(bool read, PcpResponse? response, PcpReadFailure failure, out PcpAnswer answer)
    {
        answer = read ? new PcpAnswer(response, false) : new PcpAnswer(null, true);
        return read || failure == PcpReadFailure.NatPmpOnly;
    }

    private void Observe(PcpAnswer answer)
    {
        if (answer.Response is { } response)
        {
            ObserveEpoch(response.EpochSeconds);
        }
    }
}
