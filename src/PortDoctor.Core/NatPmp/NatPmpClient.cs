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
public sealed class NatPmpClient
{
    private readonly Func<AddressFamily, IUdpTransport> _transportFactory;
    private readonly EpochTracker _epoch;
    private int _rebooted;

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
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(localAddress);
        ArgumentNullException.ThrowIfNull(transportFactory);
        if (gateway.AddressFamily != AddressFamily.InterNetwork || localAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"NAT-PMP runs over IPv4 only; got gateway {gateway} and local address {localAddress}.", nameof(gateway));
        }

        Options = options ?? new PmpClientOptions();
        Options.Validate();
        Gateway = gateway;
        LocalAddress = localAddress;
        _transportFactory = transportFactory;
        _epoch = new EpochTracker(EpochRule.NatPmp, Options.TimeProvider);
    }

    /// <summary>The gateway's address.</summary>
    public IPAddress Gateway { get; }

    /// <summary>The local address requests are sent from.</summary>
    public IPAddress LocalAddress { get; }

    /// <summary>Timing and server port in use.</summary>
    public PmpClientOptions Options { get; }

    /// <summary>The gateway's server endpoint (address and <see cref="PmpClientOptions.ServerPort"/>).</summary>
    public IPEndPoint Server => new(Gateway, Options.ServerPort);

    /// <summary>The gateway's last epoch (seconds since its mapping table started); null before the first answer.</summary>
    public uint? LastEpochSeconds => _epoch.LastEpochSeconds;

    /// <summary>True once an answer showed that the gateway lost its mappings (RFC 6886 §3.6); they must be re-created.</summary>
    public bool GatewayRebootDetected => Volatile.Read(ref _rebooted) != 0;

    /// <summary>Raised (on the thread that read the answer) each time an answer shows that the gateway lost its mappings.</summary>
    public event EventHandler? GatewayRebooted;

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
        NatPmpExternalAddressResponse response = await PmpExchange.RunAsync(
            _transportFactory,
            LocalAddress,
            Server,
            NatPmpExternalAddressRequest.ToArray(),
            budget,
            Options,
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
    /// checks that the internal port matches (shared case c14).</returns>
    /// <exception cref="TimeoutException">No answer within <see cref="PmpClientOptions.RequestBudget"/>.</exception>
    /// <exception cref="SocketException">The socket could not be bound or the request not sent (no route).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<NatPmpMapResponse> MapAsync(NatPmpMapRequest request, CancellationToken cancellationToken)
    {
        NatPmpMapProtocol protocol = request.Protocol;
        NatPmpMapResponse response = await PmpExchange.RunAsync(
            _transportFactory,
            LocalAddress,
            Server,
            request.ToArray(),
            Options.RequestBudget,
            Options,
            (ReadOnlySpan<byte> d, out NatPmpMapResponse r, out string? why) =>
                NatPmpResponseReader.TryReadMap(d, protocol, out r, out _, out why),
            request.LifetimeSeconds == 0 ? "NAT-PMP delete" : "NAT-PMP MAP",
            cancellationToken).ConfigureAwait(false);
        ObserveEpoch(response.EpochSeconds);
        return response;
    }

    private void ObserveEpoch(uint epoch)
    {
        if (_epoch.Observe(epoch))
        {
            Volatile.Write(ref _rebooted, 1);
            GatewayRebooted?.Invoke(this, EventArgs.Empty);
        }
    }
}
