using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Net;
using PortDoctor.Protocol.NatPmp;

namespace PortDoctor.Core.NatPmp;

/// <summary>
/// Talks NAT-PMP (RFC 6886) to one gateway: each request goes out from a fresh socket bound to the local
/// address facing the gateway, is retransmitted after 250 ms doubling each time (§3.1) within
/// <see cref="PmpClientOptions.RequestBudget"/>, and only answers from the gateway's address and server port are
/// read. Follows the gateway's epoch (§3.6) to notice that it lost its mappings. Gateway announcements to
/// 224.0.0.1:5350 (§3.2.1) are not listened to: PortDoctor runs for seconds, and the epoch check on the next
/// request covers a reboot. Error result codes come back as data.
/// </summary>
internal sealed class NatPmpClient : PmpClientBase
{
    /// <summary>Creates a client.</summary>
    /// <param name="gateway">The gateway's IPv4 address.</param>
    /// <param name="localAddress">This PC's IPv4 address on the gateway's subnet (requests are sent from it, and
    /// NAT-PMP maps ports to the sender's address).</param>
    /// <param name="transportFactory">Creates UDP sockets (<see cref="UdpTransport.Create"/> for real use).</param>
    /// <param name="options">Timing and server port; defaults when null.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">An address is not IPv4 (NAT-PMP is IPv4 only).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public NatPmpClient(IPAddress gateway, IPAddress localAddress, Func<AddressFamily, IUdpTransport> transportFactory, PmpClientOptions? options = null)
        : base(gateway, localAddress, transportFactory, options, EpochRule.NatPmp, "NAT-PMP")
    {
    }

    /// <summary>Asks for the gateway's external address (RFC 6886 §3.2).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The answer; an error result code is returned, not thrown.</returns>
    /// <exception cref="TimeoutException">No answer within <see cref="PmpClientOptions.RequestBudget"/>.</exception>
    /// <exception cref="SocketException">The socket could not be bound or the request not sent (no route).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<NatPmpExternalAddressResponse> GetExternalAddressAsync(CancellationToken cancellationToken) =>
        GetExternalAddressAsync(Options.RequestBudget, cancellationToken);

    /// <summary>Asks for the gateway's external address within <paramref name="budget"/> (used by the probe).</summary>
    /// <param name="budget">Total time allowed, retransmissions included.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The answer; an error result code is returned, not thrown.</returns>
    /// <exception cref="TimeoutException">No answer within <paramref name="budget"/>.</exception>
    /// <exception cref="SocketException">The socket could not be bound or the request not sent (no route).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<NatPmpExternalAddressResponse> GetExternalAddressAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        NatPmpExternalAddressResponse response = await ExchangeAsync(
            NatPmpExternalAddressRequest.ToArray(),
            budget,
            static (ReadOnlySpan<byte> d, out NatPmpExternalAddressResponse r, out string? why) =>
                NatPmpResponseReader.TryReadExternalAddress(d, out r, out _, out why),
            "NAT-PMP external address request",
            cancellationToken).ConfigureAwait(false);
        ObserveEpoch(response.EpochSeconds);
        return response;
    }

    /// <summary>Sends a MAP request (RFC 6886 §3.3); lifetime 0 deletes (§3.4).</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The answer for the request's protocol; an error result code is returned, not thrown. The caller
    /// checks that the internal port matches (docs/quirks.md#Q-NATPMP-PORT-TRUNCATED).</returns>
    /// <exception cref="TimeoutException">No answer within <see cref="PmpClientOptions.RequestBudget"/>.</exception>
    /// <exception cref="SocketException">The socket could not be bound or the request not sent (no route).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<NatPmpMapResponse> MapAsync(NatPmpMapRequest request, CancellationToken cancellationToken)
    {
        NatPmpMapProtocol protocol = request.Protocol;
        NatPmpMapResponse response = await ExchangeAsync(
            request.ToArray(),
            Options.RequestBudget,
            (ReadOnlySpan<byte> d, out NatPmpMapResponse r, out string? why) =>
                NatPmpResponseReader.TryReadMap(d, protocol, out r, out _, out why),
            request.LifetimeSeconds == 0 ? "NAT-PMP delete" : "NAT-PMP MAP",
            cancellationToken).ConfigureAwait(false);
        ObserveEpoch(response.EpochSeconds);
        return response;
    }
}
