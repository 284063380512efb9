using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Net;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Upnp;

/// <summary>
/// Finds a usable Internet Gateway Device with SSDP (UPnP Device Architecture 1.1 §1.3): M-SEARCH for
/// several IGD targets at once, multicast from each gateway's interface and unicast to each gateway, sent
/// twice against loss; returns as soon as one description is fetched and has a WAN*Connection service,
/// without waiting out a fixed window.
/// </summary>
public sealed class UpnpDiscoverer
{
    /// <summary>
    /// The default overall budget when nothing usable answers: MX is 1 s, the repeat goes out after
    /// <see cref="ResendDelay"/>, and a description fetch on a LAN takes well under a second, so 3 s covers a
    /// slow router without making "no UPnP" verdicts drag. A usable answer ends discovery earlier.
    /// </summary>
    public static readonly TimeSpan DefaultDiscoveryTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Delay before the searches are sent a second time: long enough to not land in the same
    /// Wi-Fi burst as the first, short enough that a lost first datagram costs little.</summary>
    public static readonly TimeSpan ResendDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Timeout for fetching one device description: a LAN round trip plus a slow embedded web server.</summary>
    public static readonly TimeSpan DescriptionFetchTimeout = TimeSpan.FromSeconds(2);

    /// <summary>MX for multicast searches, in seconds: the smallest allowed, so answers come quickly.</summary>
    public const int SearchMaxWaitSeconds = 1;

    /// <summary>Multicast TTL for searches (UDA 1.1 §1.1.2 recommends 2).</summary>
    public const int MulticastTimeToLive = 2;

    /// <summary>How many datagrams one interface's receive loop handles before it stops (bounds a flood).</summary>
    public const int MaxRepliesPerInterface = 512;

    /// <summary>How many distinct descriptions one discovery fetches at most.</summary>
    public const int MaxDescriptionFetches = 16;

    private readonly Func<AddressFamily, IUdpTransport> _transportFactory;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    /// <summary>Creates a discoverer.</summary>
    /// <param name="transportFactory">Creates UDP sockets (<see cref="UdpTransport.Create"/> for real use).</param>
    /// <param name="http">Fetches descriptions; build it on <see cref="UpnpHttp.CreateHandler"/> (no proxy, no redirects).</param>
    /// <param name="timeProvider">Clock for delays and timeouts; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public UpnpDiscoverer(Func<AddressFamily, IUdpTransport> transportFactory, HttpClient http, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(transportFactory);
        ArgumentNullException.ThrowIfNull(http);
        _transportFactory = transportFactory;
        _http = http;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The overall budget when nothing usable answers; <see cref="DefaultDiscoveryTimeout"/> unless set (e.g. from --timeout).</summary>
    public TimeSpan Timeout { get; init; } = DefaultDiscoveryTimeout;

    /// <summary>Discovers an IGD behind any of <paramref name="gateways"/>.</summary>
    /// <param name="gateways">The IPv4 gateways with their local interface addresses; IPv6 entries are skipped.</param>
    /// <param name="cancellationToken">The caller's budget; its cancellation is rethrown.</param>
    /// <returns>The first usable IGD, or null when none answered within <see cref="Timeout"/>.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<UpnpGateway?> DiscoverAsync(IReadOnlyList<GatewayInfo> gateways, CancellationToken cancellationToken) =>
        DiscoverAsync(gateways, null, cancellationToken);

    /// <summary>Discovers an IGD and reports why each reply or description was rejected.</summary>
    /// <param name="gateways">The IPv4 gateways with their local interface addresses; IPv6 entries are skipped.</param>
    /// <param name="log">Receives one line per rejected reply, failed fetch or send error (for --verbose); may be null.</param>
    /// <param name="cancellationToken">The caller's budget; its cancellation is rethrown.</param>
    /// <returns>The first usable IGD, or null when none answered within <see cref="Timeout"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="gateways"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<UpnpGateway?> DiscoverAsync(IReadOnlyList<GatewayInfo> gateways, ICollection<string>? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        var run = new Run(log, _time.GetTimestamp());
        using var budget = new CancellationTokenSource(Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var transports = new List<IUdpTransport>();
        try
        {
            foreach (GatewayInfo gateway in gateways.Where(g => g.LocalAddress.AddressFamily == AddressFamily.InterNetwork && g.Gateway.AddressFamily == AddressFamily.InterNetwork))
            {
                IUdpTransport? transport = Open(gateway, run);
                if (transport is null)
                {
                    continue;
                }

                transports.Add(transport);
                run.Track(ReceiveLoopAsync(gateway, transport, run, linked.Token));
                run.Track(SendSearchesAsync(gateway, transport, run, linked.Token));
            }

            if (transports.Count == 0)
            {
                run.Note("no IPv4 gateway with a usable local interface to search from");
                return null;
            }

            try
            {
                return await run.Found.Task.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                run.Note($"no usable IGD answered within {Timeout.TotalMilliseconds:0} ms");
                return null;
            }
        }
        finally
        {
            await linked.CancelAsync().ConfigureAwait(false);
            foreach (IUdpTransport transport in transports)
            {
                transport.Dispose();
            }

            await run.DrainAsync().ConfigureAwait(false);
        }
    }

    private IUdpTransport? Open(GatewayInfo gateway, Run run)
    {
        IUdpTransport transport = _transportFactory(AddressFamily.InterNetwork);
        try
        {
            transport.Bind(new IPEndPoint(gateway.LocalAddress, 0));
            transport.SetMulticastInterface(gateway.LocalAddress, MulticastTimeToLive);
            return transport;
        }
        catch (SocketException ex)
        {
            run.Note($"{gateway.InterfaceName} ({gateway.LocalAddress}): cannot open a UDP socket for SSDP: {ex.Message}");
            transport.Dispose();
            return null;
        }
    }

    private async Task SendSearchesAsync(GatewayInfo gateway, IUdpTransport transport, Run run, CancellationToken token)
    {
        var multicast = new IPEndPoint(SsdpSearchRequest.MulticastAddress, SsdpSearchRequest.Port);
        var unicast = new IPEndPoint(gateway.Gateway, SsdpSearchRequest.Port);
        var datagrams = SsdpSearchTargets.IgdSearchTargets
            .SelectMany(st => new[]
            {
                (Bytes: SsdpSearchRequest.BuildMulticast(st, SearchMaxWaitSeconds), To: multicast),
                (Bytes: SsdpSearchRequest.BuildUnicast(st, gateway.Gateway), To: unicast),
            })
            .ToList();

        for (int round = 0; round < 2; round++)
        {
            if (round == 1)
            {
                await Task.Delay(ResendDelay, _time, token).ConfigureAwait(false);
            }

            foreach ((byte[] bytes, IPEndPoint to) in datagrams)
            {
                try
                {
                    await transport.SendAsync(bytes, to, token).ConfigureAwait(false);
                }
                catch (SocketException ex)
                {
                    // One unreachable form (e.g. no multicast route) must not stop the other.
                    run.Note($"{gateway.InterfaceName}: M-SEARCH to {to} failed: {ex.Message}");
                }
            }
        }
    }

    private async Task ReceiveLoopAsync(GatewayInfo gateway, IUdpTransport transport, Run run, CancellationToken token)
    {
        byte[] buffer = new byte[SsdpResponseParser.MaxDatagramBytes + 1];
        for (int count = 0; count < MaxRepliesPerInterface && !token.IsCancellationRequested; count++)
        {
            ReceivedDatagram received;
            try
            {
                received = await transport.ReceiveAsync(buffer, token).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                run.Note($"{gateway.InterfaceName}: receive error: {ex.Message}");
                continue;
            }

            string from = received.RemoteEndPoint.ToString();
            // Any source port is fine (c01): routers answer from ephemeral ports. The address must be on-link.
            if (!gateway.IsOnLocalSubnet(received.RemoteEndPoint.Address))
            {
                run.Note($"reply from {from} ignored: sender is not on the local subnet of {gateway.InterfaceName}");
                continue;
            }

            if (!SsdpResponseParser.TryRead(buffer.AsSpan(0, received.Length), out SsdpResponse? reply, out string? error))
            {
                run.Note($"reply from {from} rejected: {error}");
                continue;
            }

            if (!SsdpSearchTargets.IsInternetGatewayRelated(reply.SearchTarget))
            {
                run.Note($"reply from {from} ignored: ST '{SsdpText(reply.SearchTarget)}' is not an Internet Gateway Device");
                continue;
            }

            if (!UpnpHttp.IsOnGatewaySubnet(reply.Location, gateway))
            {
                run.Note($"reply from {from} rejected: LOCATION {SsdpText(reply.Location.ToString())} is not a numeric http address on the local subnet of {gateway.InterfaceName}");
                continue;
            }

            if (run.ClaimLocation(reply.Location) is string refusal)
            {
                if (refusal.Length > 0)
                {
                    run.Note($"reply from {from}: {refusal}");
                }

                continue;
            }

            run.Track(FetchAsync(gateway, reply, received.RemoteEndPoint, run, token));
        }
    }

    private async Task FetchAsync(GatewayInfo gateway, SsdpResponse reply, IPEndPoint responder, Run run, CancellationToken token)
    {
        Uri location = reply.Location;
        using var timeout = new CancellationTokenSource(DescriptionFetchTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, location);
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                run.Note($"description {location}: HTTP {(int)response.StatusCode} (redirects are not followed)");
                return;
            }

            byte[]? body = await UpnpHttp.ReadBoundedAsync(response.Content, UpnpDescriptionParser.MaxDescriptionBytes, linked.Token).ConfigureAwait(false);
            if (body is null)
            {
                run.Note($"description {location}: larger than {UpnpDescriptionParser.MaxDescriptionBytes} bytes, refused");
                return;
            }

            if (!UpnpDescriptionParser.TryRead(body, location, out UpnpDeviceDescription? description, out string? error))
            {
                run.Note($"description {location}: {error}");
                return;
            }

            WanConnectionService? service = description.Services.FirstOrDefault(s => UpnpHttp.IsOnGatewaySubnet(s.ControlUrl, gateway));
            if (service is null)
            {
                run.Note(description.Services.Count == 0
                    ? $"description {location} ({description.ToDisplayName()}): no WANIPConnection or WANPPPConnection service, not a usable IGD"
                    : $"description {location}: every WAN connection control URL is off the local subnet, refused");
                return;
            }

            long elapsedMs = (long)_time.GetElapsedTime(run.Start).TotalMilliseconds;
            run.Found.TrySetResult(new UpnpGateway(gateway, location, description, service, reply.SearchTarget, responder, elapsedMs));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Discovery ended (found elsewhere, budget spent or caller cancelled): nothing to report.
        }
        catch (OperationCanceledException)
        {
            run.Note($"description {location}: no answer within {DescriptionFetchTimeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException ex)
        {
            run.Note($"description {location}: {ex.Message}");
        }
    }

    private static string SsdpText(string value) => value.Length > 120 ? value[..120] + "…" : value;

    /// <summary>State shared by the tasks of one discovery.</summary>
    private sealed class Run(ICollection<string>? log, long start)
    {
        private readonly object _gate = new();
        private readonly HashSet<string> _locations = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<Task> _tasks = [];

        public long Start { get; } = start;

        public TaskCompletionSource<UpnpGateway> Found { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Note(string line)
        {
            if (log is null)
            {
                return;
            }

            lock (_gate)
            {
                log.Add(line);
            }
        }

        public void Track(Task task)
        {
            lock (_gate)
            {
                _tasks.Add(task);
            }
        }

        /// <summary>Null when the caller should fetch; "" for a duplicate; otherwise why not.</summary>
        public string? ClaimLocation(Uri location)
        {
            lock (_gate)
            {
                if (_locations.Contains(location.AbsoluteUri))
                {
                    return string.Empty;
                }

                if (_locations.Count >= MaxDescriptionFetches)
                {
                    return $"LOCATION {location} not fetched: already fetched {MaxDescriptionFetches} descriptions";
                }

                _locations.Add(location.AbsoluteUri);
                return null;
            }
        }

        public async Task DrainAsync()
        {
            Task[] tasks;
            lock (_gate)
            {
                tasks = [.. _tasks];
            }

            foreach (Task task in tasks)
            {
                try
                {
                    await task.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    // Expected: the loops end when the token is cancelled and the sockets close under them.
                }
            }
        }
    }
}
