using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Net;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Upnp;

/// <summary>
/// Finds a usable Internet Gateway Device with SSDP (UPnP Device Architecture 1.1 §1.3): M-SEARCH for
/// several IGD targets at once, multicast from each gateway's interface and unicast to each gateway, sent
/// twice against loss. Every WAN*Connection service of every description fetched is asked GetStatusInfo and
/// GetExternalIPAddress and the candidates are ranked by <see cref="IgdRanking"/> (several WAN services of one
/// device and several IGDs on one LAN alike). Discovery ends as soon as a best-possible candidate is in and
/// nothing else is being asked, else <see cref="CandidateGrace"/> after the first candidate, without waiting
/// out a fixed window.
/// </summary>
internal sealed class UpnpDiscoverer
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

    /// <summary>How many WAN services of one description are asked at most (real multi-WAN boxes have a handful;
    /// a hostile description must not turn into thousands of requests).</summary>
    public const int MaxServicesAsked = 8;

    /// <summary>
    /// How long after the first usable candidate other candidates are still taken in. Other IGDs on the LAN
    /// answer the same M-SEARCH within milliseconds and their description and two SOAP reads take well under
    /// this on a LAN; longer would slow every verdict where no candidate is best possible (double NAT).
    /// </summary>
    public static readonly TimeSpan CandidateGrace = TimeSpan.FromMilliseconds(300);

    /// <summary>Timeout for asking one candidate service GetStatusInfo and GetExternalIPAddress together: two table
    /// reads that miniupnpd answers in milliseconds; a service that needs longer ranks as unknown.</summary>
    public static readonly TimeSpan CandidateQueryTimeout = TimeSpan.FromSeconds(1);

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
    /// <returns>The best usable IGD service, or null when none answered within <see cref="Timeout"/>.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<UpnpGateway?> DiscoverAsync(IReadOnlyList<GatewayInfo> gateways, CancellationToken cancellationToken) =>
        DiscoverAsync(gateways, null, cancellationToken);

    /// <summary>Discovers an IGD and reports why each reply or description was rejected.</summary>
    /// <param name="gateways">The IPv4 gateways with their local interface addresses; IPv6 entries are skipped.</param>
    /// <param name="log">Receives one line per rejected reply, failed fetch or send error (for --verbose); may be null.</param>
    /// <param name="cancellationToken">The caller's budget; its cancellation is rethrown.</param>
    /// <returns>The best usable IGD service (<see cref="UpnpGateway.Ranked"/> holds the ranking), or null when none
    /// answered within <see cref="Timeout"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="gateways"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<UpnpGateway?> DiscoverAsync(IReadOnlyList<GatewayInfo> gateways, ICollection<string>? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        var run = new Run(log, _time.GetTimestamp(), _time);
        using var budget = new CancellationTokenSource(Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var transports = new List<IUdpTransport>();
        try
        {
            // The index ranks the paths (IgdRanking): the first IPv4 gateway is the default one.
            int index = -1;
            foreach (GatewayInfo gateway in gateways.Where(g => g.LocalAddress.AddressFamily == AddressFamily.InterNetwork && g.Gateway.AddressFamily == AddressFamily.InterNetwork))
            {
                index++;

                IUdpTransport? transport = Open(gateway, run);
                if (transport is null)
                {
                    continue;
                }

                transports.Add(transport);
                run.Track(ReceiveLoopAsync(gateway, index, transport, run, linked.Token));
                run.Track(SendSearchesAsync(gateway, transport, run, linked.Token));
            }

            if (transports.Count == 0)
            {
                run.Note("no IPv4 gateway with a usable local interface to search from");
                return null;
            }

            try
            {
                await run.Decided.Task.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The budget ran out: the best candidate so far, if any, still counts.
            }

            UpnpGateway? chosen = run.Choose();
            if (chosen is null)
            {
                run.Note($"no usable IGD answered within {Timeout.TotalMilliseconds:0} ms");
            }

            return chosen;
        }
        finally
        {
            await linked.CancelAsync().ConfigureAwait(false);
            foreach (IUdpTransport transport in transports)
            {
                transport.Dispose();
            }

            await run.DrainAsync().ConfigureAwait(false);
            run.Dispose();
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

    private async Task ReceiveLoopAsync(GatewayInfo gateway, int gatewayIndex, IUdpTransport transport, Run run, CancellationToken token)
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
            // Any source port is fine (docs/quirks.md#Q-SSDP-SOURCE-PORT): routers answer from ephemeral ports. The address must be on-link.
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

            SsdpTargetKind kind = SsdpSearchTargets.Classify(reply.SearchTarget);
            if (kind == SsdpTargetKind.Other)
            {
                run.Note($"reply from {from} ignored: ST '{SsdpText(reply.SearchTarget)}' is not an Internet Gateway Device");
                continue;
            }

            // upnp:rootdevice and uuid: replies come from every UPnP device on the LAN; only the gateway's own are
            // worth a fetch (some routers answer only so: docs/quirks.md), or TVs and NASes use up the fetch cap.
            if (kind != SsdpTargetKind.InternetGateway && !IsGatewayItself(reply, received.RemoteEndPoint, gateway))
            {
                run.Note($"reply from {from} ignored: ST '{SsdpText(reply.SearchTarget)}' names a device that is not the gateway {gateway.Gateway}");
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

            run.Track(FetchAsync(gateway, gatewayIndex, reply, received.RemoteEndPoint, run, token));
        }
    }

    private static bool IsGatewayItself(SsdpResponse reply, IPEndPoint responder, GatewayInfo gateway) =>
        responder.Address.Equals(gateway.Gateway)
        || (IPAddress.TryParse(reply.Location.Host, out IPAddress? host) && host.Equals(gateway.Gateway));

    private async Task FetchAsync(GatewayInfo gateway, int gatewayIndex, SsdpResponse reply, IPEndPoint responder, Run run, CancellationToken token)
    {
        try
        {
            UpnpGateway? device = await FetchDescriptionAsync(gateway, reply, responder, run, token).ConfigureAwait(false);
            if (device is not null)
            {
                run.Add(await AskServicesAsync(device, gatewayIndex, run, token).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Discovery ended (decided, budget spent or caller cancelled): nothing to report.
        }
        finally
        {
            run.EvaluationDone();
        }
    }

    private async Task<IReadOnlyList<IgdCandidate>> AskServicesAsync(UpnpGateway device, int gatewayIndex, Run run, CancellationToken token)
    {
        var usable = device.Services
            .Select((service, index) => (Service: service, Index: index))
            .Where(s => UpnpHttp.IsOnGatewaySubnet(s.Service.ControlUrl, device.Gateway))
            .Take(MaxServicesAsked)
            .ToList();
        IgdServiceFacts[] facts = await Task.WhenAll(usable.Select(s => AskAsync(s.Service, run, token))).ConfigureAwait(false);
        return [.. usable.Select((s, i) => new IgdCandidate(device with { Service = s.Service }, gatewayIndex, s.Index, facts[i]))];
    }

    private async Task<IgdServiceFacts> AskAsync(WanConnectionService service, Run run, CancellationToken token)
    {
        var client = new UpnpIgdClient(_http, service.ControlUrl, service.ServiceType, _time);
        using var timeout = new CancellationTokenSource(CandidateQueryTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
        string? status = null;
        IPAddress? address = null;
        try
        {
            UpnpCallResult<UpnpStatusInfo> info = await client.GetStatusInfoAsync(linked.Token).ConfigureAwait(false);
            status = info.Succeeded ? NullIfEmpty(info.Value?.ConnectionStatus) : null;
            // A connection that says it is down has no address worth asking for (as tailscale does).
            if (new IgdServiceFacts(status, null).Connection != IgdConnection.NotConnected)
            {
                UpnpCallResult<IPAddress?> external = await client.GetExternalIPAddressAsync(linked.Token).ConfigureAwait(false);
                address = external.Succeeded ? external.Value : null;
            }
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            run.Note($"service {service.ControlUrl}: no answer to GetStatusInfo/GetExternalIPAddress within {CandidateQueryTimeout.TotalMilliseconds:0} ms");
        }
        catch (Exception ex) when (ex is TimeoutException or HttpRequestException)
        {
            run.Note($"service {service.ControlUrl}: {ex.Message}");
        }

        var facts = new IgdServiceFacts(status, address);
        run.Note($"service {service.ControlUrl} ({service.ServiceType}): status '{facts.ConnectionStatus ?? "unknown"}', external address {facts.ExternalAddress?.ToString() ?? "unknown"}");
        return facts;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private async Task<UpnpGateway?> FetchDescriptionAsync(GatewayInfo gateway, SsdpResponse reply, IPEndPoint responder, Run run, CancellationToken token)
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
                return null;
            }

            byte[]? body = await UpnpHttp.ReadBoundedAsync(response.Content, UpnpDescriptionParser.MaxDescriptionBytes, linked.Token).ConfigureAwait(false);
            if (body is null)
            {
                run.Note($"description {location}: larger than {UpnpDescriptionParser.MaxDescriptionBytes} bytes, refused");
                return null;
            }

            if (!UpnpDescriptionParser.TryRead(body, location, out UpnpDeviceDescription? description, out string? error))
            {
                run.Note($"description {location}: {error}");
                return null;
            }

            WanConnectionService? service = description.Services.FirstOrDefault(s => UpnpHttp.IsOnGatewaySubnet(s.ControlUrl, gateway));
            if (service is null)
            {
                run.Note(description.Services.Count == 0
                    ? $"description {location} ({description.ToDisplayName()}): no WANIPConnection or WANPPPConnection service, not a usable IGD"
                    : $"description {location}: every WAN connection control URL is off the local subnet, refused");
                return null;
            }

            long elapsedMs = (long)_time.GetElapsedTime(run.Start).TotalMilliseconds;
            return new UpnpGateway(gateway, location, description, service, reply.SearchTarget, responder, elapsedMs);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            run.Note($"description {location}: no answer within {DescriptionFetchTimeout.TotalMilliseconds:0} ms");
            return null;
        }
        catch (HttpRequestException ex)
        {
            run.Note($"description {location}: {ex.Message}");
            return null;
        }
    }

    private static string SsdpText(string value) => value.Length > 120 ? value[..120] + "…" : value;

    /// <summary>State shared by the tasks of one discovery.</summary>
    private sealed class Run(ICollection<string>? log, long start, TimeProvider time) : IDisposable
    {
        private readonly object _gate = new();
        private readonly HashSet<string> _locations = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<Task> _tasks = [];
        private readonly List<IgdCandidate> _candidates = [];
        private ITimer? _grace;
        private int _evaluating;

        public long Start { get; } = start;

        /// <summary>Completes when the choice can be made (best possible in and nothing pending, or the grace is over).</summary>
        public TaskCompletionSource Decided { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(IReadOnlyList<IgdCandidate> candidates)
        {
            lock (_gate)
            {
                _candidates.AddRange(candidates);
                if (_candidates.Count > 0)
                {
                    _grace ??= time.CreateTimer(_ => Decided.TrySetResult(), null, CandidateGrace, System.Threading.Timeout.InfiniteTimeSpan);
                }
            }
        }

        /// <summary>Called when one reply's fetch and questions are over, whatever their outcome.</summary>
        public void EvaluationDone()
        {
            lock (_gate)
            {
                _evaluating--;
                if (_evaluating == 0 && _candidates.Any(c => c.IsBestPossible))
                {
                    Decided.TrySetResult();
                }
            }
        }

        public UpnpGateway? Choose()
        {
            IReadOnlyList<IgdCandidate> ranked;
            lock (_gate)
            {
                ranked = IgdRanking.Rank(_candidates);
            }

            if (ranked.Count == 0)
            {
                return null;
            }

            IgdCandidate best = ranked[0];
            Note($"chose {best.Gateway.ControlUrl} ({best.Gateway.ServiceType}) of {ranked.Count} candidate(s): {best.Path}, {best.Facts.Connection}, external address {best.Facts.Address}");
            return best.Gateway with { ServiceFacts = best.Facts, Ranked = ranked };
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _grace?.Dispose();
            }
        }

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
                _evaluating++;
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
