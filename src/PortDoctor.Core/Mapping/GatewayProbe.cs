using System.Globalization;
using System.Net.Sockets;
using PortDoctor.Core.NatPmp;
using PortDoctor.Core.Net;
using PortDoctor.Core.Pcp;
using PortDoctor.Core.Upnp;
using PortDoctor.Protocol.NatPmp;
using PortDoctor.Protocol.Pcp;

namespace PortDoctor.Core.Mapping;

/// <summary>
/// Finds which port-mapping protocols the gateway speaks: PCP (RFC 6887 ANNOUNCE), NAT-PMP (RFC 6886 external
/// address request) and UPnP IGD (SSDP M-SEARCH plus description fetch) all start at the same moment.
/// </summary>
/// <remarks>
/// <para>Order of preference for mapping: PCP, then NAT-PMP, then UPnP IGD. PCP and NAT-PMP each take one UDP
/// round trip per request; the router grants exactly what its answer confirms (lease, external port), bound to
/// the address that sent the request and, for PCP, to a nonce, so no other host can change or delete the mapping;
/// and their fixed binary formats leave less room for firmware bugs than UPnP's SOAP/XML over HTTP. PCP comes
/// first because its nonce protects renew and delete, and it reports the external address with every mapping.
/// UPnP IGD is the fallback; it still names the router (manufacturer, model from its description), which
/// <see cref="GatewayProbeResult.RouterName"/> carries whenever UPnP answered, and can list the mapping table.</para>
/// <para>Deciding fast: <see cref="ProbeAsync"/> returns at once when PCP answers. When a less preferred protocol
/// answers first, it waits for the better ones only while they could still plausibly answer: at most
/// <see cref="PreferenceGrace"/>, and not at all once they are known to be absent (their exchange ended, e.g. with
/// an ICMP port-unreachable seen on the connected NAT-PMP/PCP socket). Nothing answering ends at
/// <see cref="Budget"/>. NAT-PMP and PCP are asked of the first IPv4 gateway only (the default route's router, the
/// one that must forward the port); SSDP searches behind every IPv4 gateway.</para>
/// </remarks>
public sealed class GatewayProbe : IGatewayProbe
{
    /// <summary>
    /// The overall probe budget: UPnP discovery needs up to 3 s for a slow router (SSDP MX is 1 s, the search is
    /// repeated after 200 ms, then the description is fetched over HTTP); NAT-PMP and PCP give up after
    /// <see cref="PmpClientOptions.DefaultProbeBudget"/> within it. A router that answers at all does so in
    /// milliseconds, so this only bounds the "nothing answered" case. The caller's token can end it sooner.
    /// </summary>
    public static readonly TimeSpan DefaultBudget = UpnpDiscoverer.DefaultDiscoveryTimeout;

    /// <summary>
    /// How long a less preferred answer waits for a better protocol that has not answered yet: a router on the LAN
    /// answers a UDP request in a few milliseconds (PCP and NAT-PMP are one round trip), so 60 ms covers a busy
    /// router or a Wi-Fi retry of the first frame while costing a person nothing. A lost first datagram (the next
    /// send is 250 ms later) is not worth waiting for: the less preferred protocol works too.
    /// </summary>
    public static readonly TimeSpan DefaultPreferenceGrace = TimeSpan.FromMilliseconds(60);

    private readonly Func<AddressFamily, IUdpTransport> _transportFactory;
    private readonly HttpClient _http;

    /// <summary>Creates a probe.</summary>
    /// <param name="transportFactory">Creates UDP sockets (<see cref="UdpTransport.Create"/> for real use).</param>
    /// <param name="http">Fetches UPnP descriptions and carries SOAP; build it on <see cref="UpnpHttp.CreateHandler"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public GatewayProbe(Func<AddressFamily, IUdpTransport> transportFactory, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(transportFactory);
        ArgumentNullException.ThrowIfNull(http);
        _transportFactory = transportFactory;
        _http = http;
    }

    /// <summary>The overall budget; <see cref="DefaultBudget"/> unless set. Must be positive.</summary>
    public TimeSpan Budget { get; init; } = DefaultBudget;

    /// <summary>How long a less preferred answer waits for better ones; <see cref="DefaultPreferenceGrace"/> unless set.</summary>
    public TimeSpan PreferenceGrace { get; init; } = DefaultPreferenceGrace;

    /// <summary>NAT-PMP/PCP timing and server port (also used by the mappers returned); defaults when null.</summary>
    public PmpClientOptions? PmpOptions { get; init; }

    /// <summary>Clock for the budget and the grace window; <see cref="TimeProvider.System"/> unless set.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="gateways"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<GatewayProbeResult> ProbeAsync(IReadOnlyList<GatewayInfo> gateways, CancellationToken cancellationToken) =>
        RunAsync(gateways, waitForAll: false, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Also asks each protocol that answered for the external address it reports (UPnP
    /// GetExternalIPAddress, NAT-PMP external address; PCP through the NAT-PMP request its server also answers).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="gateways"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<GatewayProbeResult> ProbeAllAsync(IReadOnlyList<GatewayInfo> gateways, CancellationToken cancellationToken) =>
        RunAsync(gateways, waitForAll: true, cancellationToken);

    private async Task<GatewayProbeResult> RunAsync(IReadOnlyList<GatewayInfo> gateways, bool waitForAll, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Budget, TimeSpan.Zero, nameof(Budget));
        TimeProvider time = TimeProvider;
        long started = time.GetTimestamp();
        PmpClientOptions pmpOptions = PmpOptions ?? new PmpClientOptions { TimeProvider = time };
        GatewayInfo? pmpGateway = gateways.FirstOrDefault(g =>
            g.Gateway.AddressFamily == AddressFamily.InterNetwork && g.LocalAddress.AddressFamily == AddressFamily.InterNetwork
            && !g.LocalAddress.Equals(System.Net.IPAddress.Any));

        using var budget = new CancellationTokenSource(Budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var upnpLog = new List<string>();
        var discoverer = new UpnpDiscoverer(_transportFactory, _http, time) { Timeout = Budget };

        var pcp = new Pending<PcpProbeResult>(pmpGateway is null ? Task.FromResult<PcpProbeResult?>(null)
            : PcpProbe.ProbeAsync(pmpGateway, _transportFactory, pmpOptions, linked.Token), time, started);
        var pmp = new Pending<NatPmpProbeResult>(pmpGateway is null ? Task.FromResult<NatPmpProbeResult?>(null)
            : NatPmpProbe.ProbeAsync(pmpGateway, _transportFactory, pmpOptions, linked.Token), time, started);
        var upnp = new Pending<UpnpGateway>(discoverer.DiscoverAsync(gateways, upnpLog, linked.Token), time, started);

        try
        {
            long? graceEnds = null;
            while (true)
            {
                bool pcpFound = pcp.Done && IsUsable(pcp.Value);
                bool pmpFound = pmp.Done && IsUsable(pmp.Value);
                bool upnpFound = upnp.Done && upnp.Value is not null;
                bool allDone = pcp.Done && pmp.Done && upnp.Done;
                if (allDone || (!waitForAll && Decided(pcpFound, pmpFound, upnpFound, pcp.Done, pmp.Done)))
                {
                    break;
                }

                var waits = new List<Task>(4);
                waits.AddRange(new IPending[] { pcp, pmp, upnp }.Where(p => !p.Done).Select(p => p.Completion));
                if (!waitForAll && (pmpFound || upnpFound))
                {
                    graceEnds ??= time.GetTimestamp() + (long)(PreferenceGrace.TotalSeconds * time.TimestampFrequency);
                    TimeSpan left = time.GetElapsedTime(time.GetTimestamp(), graceEnds.Value);
                    if (left <= TimeSpan.Zero)
                    {
                        break;
                    }

                    waits.Add(Task.Delay(left, time, linked.Token));
                }

                await Task.WhenAny(waits).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            pcp.MarkDecided();
            pmp.MarkDecided();
            upnp.MarkDecided();

            // Stop whatever is still asking, and let it wind down before the sockets' owner returns.
            await linked.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(pcp.Completion, pmp.Completion, upnp.Completion).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var answers = new List<ProtocolAnswer>(3);
        var notes = new List<string>();
        if (pcp.Value is { } pcpResult)
        {
            notes.Add(pcpResult.Note);
            if (IsUsable(pcpResult))
            {
                answers.Add(new ProtocolAnswer(pcpResult.Mapper!, null, pcp.Elapsed));
            }
        }
        else
        {
            notes.Add(Absent("PCP", pcp, pmpGateway, pmpOptions));
        }

        if (pmp.Value is { } pmpResult)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"NAT-PMP: {pmpGateway!.Gateway} answered with {pmpResult.ResultCode.Describe()} in {pmp.Elapsed.TotalMilliseconds:0} ms"));
            if (IsUsable(pmpResult))
            {
                answers.Add(new ProtocolAnswer(pmpResult.Mapper, pmpResult.ExternalAddress, pmp.Elapsed));
            }
        }
        else
        {
            notes.Add(Absent("NAT-PMP", pmp, pmpGateway, pmpOptions));
        }

        notes.AddRange(upnpLog);
        string? routerName = null;
        if (upnp.Value is { } igd)
        {
            routerName = igd.DisplayName;
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"UPnP: {igd.DisplayName} at {igd.DescriptionUrl} ({igd.ServiceType}) in {igd.ElapsedMs} ms"));
            answers.Add(new ProtocolAnswer(new UpnpPortMapper(igd, _http, time), null, upnp.Elapsed));
        }
        else
        {
            notes.Add(upnp.DoneAtDecision
                ? string.Create(CultureInfo.InvariantCulture, $"UPnP: no usable IGD answered SSDP (after {upnp.Elapsed.TotalMilliseconds:0} ms)")
                : "UPnP: no IGD had answered when the probe decided");
        }

        if (waitForAll && answers.Count > 0)
        {
            answers = [.. await Task.WhenAll(answers.Select(a => WithExternalAddressAsync(a, cancellationToken))).ConfigureAwait(false)];
        }

        return new GatewayProbeResult([.. answers.Select(a => a.Mapper)], notes, time.GetElapsedTime(started))
        {
            Answers = answers,
            RouterName = routerName,
        };
    }

    /// <summary>True when the fast probe can stop: the best available protocol cannot be beaten any more.</summary>
    private static bool Decided(bool pcpFound, bool pmpFound, bool upnpFound, bool pcpDone, bool pmpDone) =>
        pcpFound || (pmpFound && pcpDone) || (upnpFound && pcpDone && pmpDone);

    private static bool IsUsable(PcpProbeResult? result) => result is { Mapper: not null, ResultCode: PcpResultCode.Success };

    private static bool IsUsable(NatPmpProbeResult? result) => result is { ResultCode: NatPmpResultCode.Success };

    private static async Task<ProtocolAnswer> WithExternalAddressAsync(ProtocolAnswer answer, CancellationToken cancellationToken) =>
        answer.ExternalAddress is not null
            ? answer
            : answer with { ExternalAddress = await answer.Mapper.GetExternalAddressAsync(cancellationToken).ConfigureAwait(false) };

    private string Absent<T>(string protocol, Pending<T> pending, GatewayInfo? gateway, PmpClientOptions options)
        where T : class
    {
        if (gateway is null)
        {
            return $"{protocol}: not asked (no IPv4 gateway with a local address)";
        }

        if (!pending.DoneAtDecision)
        {
            return $"{protocol}: {gateway.Gateway} had not answered when the probe decided";
        }

        return pending.Elapsed < options.ProbeBudget && pending.Elapsed < Budget
            ? string.Create(CultureInfo.InvariantCulture, $"{protocol}: {gateway.Gateway} refused or is unreachable on UDP {options.ServerPort} (after {pending.Elapsed.TotalMilliseconds:0} ms)")
            : string.Create(CultureInfo.InvariantCulture, $"{protocol}: no answer from {gateway.Gateway} within {Math.Min(options.ProbeBudget.TotalMilliseconds, Budget.TotalMilliseconds):0} ms");
    }

    private interface IPending
    {
        bool Done { get; }

        Task Completion { get; }
    }

    /// <summary>One protocol's probe: never faults; an internal cancellation (budget, decision) reads as "no answer".</summary>
    private sealed class Pending<T> : IPending
        where T : class
    {
        private readonly TimeProvider _time;
        private readonly long _started;

        public Pending(Task<T?> task, TimeProvider time, long started)
        {
            _time = time;
            _started = started;
            Completion = ObserveAsync(task);
        }

        public Task Completion { get; }

        public bool Done { get; private set; }

        public T? Value { get; private set; }

        public TimeSpan Elapsed { get; private set; }

        /// <summary>Whether it had finished by itself when the probe decided (not through the probe's cancellation).</summary>
        public bool DoneAtDecision { get; private set; }

        public void MarkDecided() => DoneAtDecision = Done;

        private async Task ObserveAsync(Task<T?> task)
        {
            try
            {
                Value = await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The budget ran out or the probe decided without it; a caller's cancellation is rethrown by the probe.
            }
            finally
            {
                Elapsed = _time.GetElapsedTime(_started);
                Done = true;
            }
        }
    }
}
