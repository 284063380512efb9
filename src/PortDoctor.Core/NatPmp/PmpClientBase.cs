using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Net;

namespace PortDoctor.Core.NatPmp;

/// <summary>
/// What the NAT-PMP (RFC 6886) and PCP (RFC 6887) clients share: one IPv4 gateway, the local address requests
/// leave from, the timing options, the socket factory, and the server's epoch, whose going back means the
/// gateway lost its mappings (RFC 6886 §3.6, RFC 6887 §8.5).
/// </summary>
internal abstract class PmpClientBase
{
    private readonly EpochTracker _epoch;
    private int _rebooted;

    /// <summary>Checks the arguments and sets up the shared state.</summary>
    /// <param name="gateway">The gateway's IPv4 address.</param>
    /// <param name="localAddress">This PC's IPv4 address on the gateway's subnet.</param>
    /// <param name="transportFactory">Creates UDP sockets.</param>
    /// <param name="options">Timing and server port; defaults when null.</param>
    /// <param name="rule">How the protocol judges an epoch that went back.</param>
    /// <param name="protocolName">"NAT-PMP" or "PCP", for the error message.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">An address is not IPv4.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    private protected PmpClientBase(IPAddress gateway, IPAddress localAddress, Func<AddressFamily, IUdpTransport> transportFactory,
        PmpClientOptions? options, EpochRule rule, string protocolName)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(localAddress);
        ArgumentNullException.ThrowIfNull(transportFactory);
        if (gateway.AddressFamily != AddressFamily.InterNetwork || localAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"This {protocolName} client runs over IPv4 only; got gateway {gateway} and local address {localAddress}.", nameof(gateway));
        }

        Options = options ?? new PmpClientOptions();
        Options.Validate();
        Gateway = gateway;
        LocalAddress = localAddress;
        TransportFactory = transportFactory;
        _epoch = new EpochTracker(rule, Options.TimeProvider);
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

    /// <summary>True once an answer showed that the gateway lost its mappings; they must be re-created.</summary>
    public bool GatewayRebootDetected => Volatile.Read(ref _rebooted) != 0;

    /// <summary>Raised (on the thread that read the answer) each time an answer shows that the gateway lost its mappings.</summary>
    public event EventHandler? GatewayRebooted;

    /// <summary>The socket factory in use (a NAT-PMP client for the same server is built from a PCP client's).</summary>
    internal Func<AddressFamily, IUdpTransport> TransportFactory { get; }

    /// <summary>One request and its answer with this client's gateway (see <see cref="PmpExchange"/>), through the client's socket factory, address and options.</summary>
    private protected Task<T> ExchangeAsync<T>(byte[] request, TimeSpan budget, DatagramClassifier<T> classify, string what, CancellationToken cancellationToken) =>
        PmpExchange.RunAsync(TransportFactory, LocalAddress, Server, request, budget, Options, classify, what, cancellationToken);

    /// <summary>Follows the epoch of an answer; flags and announces a gateway that lost its mappings.</summary>
    /// <param name="epochSeconds">The epoch the answer carried.</param>
    private protected void ObserveEpoch(uint epochSeconds)
    {
        if (_epoch.Observe(epochSeconds))
        {
            Volatile.Write(ref _rebooted, 1);
            GatewayRebooted?.Invoke(this, EventArgs.Empty);
        }
    }
}
