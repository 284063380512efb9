using System.Diagnostics;
using System.Net;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Reachability;
using PortDoctor.Core.Reports;
using PortDoctor.Core.Stun;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Diagnosis;

/// <summary>
/// <c>portdoctor diagnose</c>: the guide's troubleshooting list in one read-only run. Independent checks
/// (gateway probe, STUN, the outside check, the hop list) run at once under one budget; the findings
/// are then weighed and one root cause is chosen (<see cref="RootCause"/>). Nothing is changed: no
/// mapping, no firewall rule; only a temporary responder may listen for the length of the check.
/// </summary>
public sealed class DiagnoseWorkflow
{
    /// <summary>How many hops to trace: PC → router → (second router / carrier NAT) → beyond.</summary>
    public const int HopsToTrace = 4;

    private readonly WorkflowContext _context;

    /// <summary>Creates the workflow.</summary>
    /// <param name="context">The seams.</param>
    public DiagnoseWorkflow(WorkflowContext context) => _context = context;

    /// <summary>Runs the diagnosis.</summary>
    /// <param name="options">What to diagnose.</param>
    /// <param name="cancellationToken">Cancels the run (rethrown).</param>
    /// <returns>The findings and the root cause.</returns>
    public async Task<DiagnoseReport> RunAsync(DiagnoseOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        long started = Stopwatch.GetTimestamp();
        var f = new FindingList(_context.Progress);
        string proto = options.Protocol.ToCli();

        var gateways = _context.FindGateways(options.Gateway);
        if (gateways.Count == 0)
        {
            f.Fault(FindingIds.NoNetwork, Text.Of("Network.NoGateway"), Text.Of("Diag.Fix.Connect"));
            return Finish(options, f, started);
        }

        var gw = gateways[0];
        bool publicHost = AddressClass.IsPublic(gw.LocalAddress);
        f.Info(FindingIds.Network, Text.Of("Network.Found", gw.LocalAddress, gw.InterfaceName, gw.Gateway),
            ("lanAddress", gw.LocalAddress.ToString()), ("gateway", gw.Gateway.ToString()), ("interface", gw.InterfaceName));
        if (publicHost)
        {
            f.Info(FindingIds.PublicHost, Text.Of("Diag.PublicHost", gw.LocalAddress), ("lanAddress", gw.LocalAddress.ToString()));
        }

        bool listens = false;
        if (options.Port is int port)
        {
            if (Inputs.PortInput.RangeWarning(port) is Text low)
            {
                f.Warning(FindingIds.PortBelowRegistered, low, null, ("port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            var listener = ListenerSteps.Describe(_context.PortOwners, options.Protocol, port, out listens);
            if (listens)
            {
                f.Info(FindingIds.Listener, listener.Message, [.. listener.Evidence!.Select(p => (p.Key, p.Value))]);
            }
            else
            {
                f.Fault(FindingIds.NothingListening, Text.Of("Diag.NothingListening", port, proto), Text.Of("Diag.Fix.StartProgram"), ("port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(options.Budget);
        var token = budget.Token;

        // Diagnose wants every protocol that answers (UPnP lists the table even when PCP maps), not just the fastest.
        var probeTask = _context.GatewayProbe.ProbeAllAsync(gateways, token);
        var stunTask = _context.Stun is { } stun && options.StunServers.Count > 0
            ? stun.QueryAllAsync(options.StunServers, token)
            : Task.FromResult<IReadOnlyList<StunResult>>([]);
        var myAddressTask = _context.Checker is { Endpoint.SupportsAddressLookup: true } checker
            ? checker.GetMyAddressAsync(token)
            : Task.FromResult<CheckerAddressResult?>(null)!;
        var checkTask = options.Port is int p && _context.Checker is not null
            ? new ReachabilityChecker(_context.Checker).CheckAsync(p, options.Protocol, listens, token)
            : Task.FromResult<ReachabilityReport?>(null)!;
        var firewallTask = options.Port is int fp
            ? HostFirewallSteps.InspectAsync(_context, fp, [options.Protocol], null, token)
            : Task.FromResult<(Firewall.FirewallDetection?, IReadOnlyList<HostFirewallSteps.Evaluation>)>((null, []));
        var hopTarget = await HopTargetAsync(options, token).ConfigureAwait(false);
        var hopsTask = _context.Hops is { } hops && hopTarget is not null
            ? hops.TraceAsync(hopTarget, HopsToTrace, token)
            : Task.FromResult<IReadOnlyList<IPAddress?>>([]);

        GatewayProbeResult probe;
        IReadOnlyList<StunResult> stunResults;
        CheckerAddressResult? myAddress;
        ReachabilityReport? check;
        IReadOnlyList<IPAddress?> hopList;
        (Firewall.FirewallDetection? Detection, IReadOnlyList<HostFirewallSteps.Evaluation> Evaluations) firewall;
        _context.Progress.Waiting(Text.Of("Wait.Diagnose"));
        try
        {
            firewall = await firewallTask.ConfigureAwait(false);
            probe = await probeTask.ConfigureAwait(false);
            stunResults = await stunTask.ConfigureAwait(false);
            myAddress = await myAddressTask.ConfigureAwait(false);
            check = await checkTask.ConfigureAwait(false);
            hopList = await hopsTask.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            f.Warning("budget", Text.Of("Diag.BudgetExceeded", Math.Round(options.Budget.TotalSeconds)), null);
            return Finish(options, f, started);
        }

        // Router: which protocol answered, its identity, its external address and the mapping for the port.
        var mapper = probe.Mappers.Count > 0 ? probe.Mappers[0] : null;
        IPAddress? external = null;
        MappingRecord? mapping = null;
        bool mappingKnown = false;
        if (mapper is not null)
        {
            external = await mapper.GetExternalAddressAsync(token).ConfigureAwait(false);
            if (external is not null && AddressClass.Classify(external) is AddressKind.Unspecified or AddressKind.Loopback)
            {
                external = null;
            }

            string routerName = probe.RouterName ?? mapper.GatewayDescription;
            f.Info(FindingIds.Gateway, Text.Of("Diag.Gateway", routerName,
                    string.Join(", ", probe.Mappers.Select(m => OpenWorkflow.MethodName(m.Method))), (object?)external?.ToString() ?? Text.Of("Common.Unknown")),
                ("router", routerName), ("methods", string.Join(",", probe.Mappers.Select(m => m.Method))), ("externalAddress", external?.ToString() ?? ""));
            // Only UPnP can list the router's table; NAT-PMP and PCP cannot tell what another host mapped.
            var lister = probe.Mappers.FirstOrDefault(m => m.Method == "upnp");
            if (options.Port is int mp && lister is not null)
            {
                try
                {
                    mapping = await lister.FindMappingAsync(options.Protocol, mp, token).ConfigureAwait(false);
                    mappingKnown = true;
                }
                catch (Exception ex) when (ex is TimeoutException or HttpRequestException or Upnp.UpnpActionException)
                {
                    f.Info(FindingIds.Mapping, Text.Of("Diag.MappingUnknown", ex.Message));
                }
            }
        }

        // Public address: what the checker saw, else what STUN servers saw.
        IPAddress? publicAddress = myAddress is { Succeeded: true, Address: not null } ? myAddress.Address : null;
        string publicSource = publicAddress is null ? "" : "checker";
        object publicSourceText = Text.Of("Diag.Source.Checker");
        var stunHit = stunResults.FirstOrDefault(r => r.Succeeded);
        if (publicAddress is null && stunHit is not null)
        {
            publicAddress = stunHit.MappedEndPoint!.Address;
            publicSource = "stun " + stunHit.Server;
            publicSourceText = Text.Of("Diag.Source.Stun", stunHit.Server);
        }

        if (publicAddress is not null)
        {
            f.Info(FindingIds.PublicAddress, Text.Of("Diag.PublicAddress", publicAddress, publicSourceText),
                ("publicAddress", publicAddress.ToString()), ("source", publicSource),
                ("stun", string.Join(" ", stunResults.Select(r => r.Server + "=" + (r.MappedEndPoint?.ToString() ?? r.Error)))));
        }
        else if (stunResults.Count > 0)
        {
            f.Warning(FindingIds.PublicAddress, Text.Of("Diag.PublicAddressUnknown", string.Join("; ", stunResults.Select(r => r.Server + ": " + r.Error))), null);
        }

        // Once the target answers, further TTLs only repeat it.
        int reached = hopTarget is null ? -1 : hopList.ToList().FindIndex(h => hopTarget.Equals(h));
        var hopsFound = (reached >= 0 ? hopList.Take(reached + 1) : hopList).Select(h => h?.ToString() ?? "*").ToList();
        if (hopList.Count > 0)
        {
            f.Info(FindingIds.Hops, Text.Of("Diag.Hops", string.Join(" → ", hopsFound)), ("hops", string.Join(",", hopsFound)));
        }

        bool reachable = check is { State: ReachabilityState.Open };
        AnalyseNat(f, gw, publicHost, external, publicAddress, hopList, reachable);

        if (!publicHost && mapper is null)
        {
            var manual = options.Port is int np ? OpenWorkflow.ManualForwarding(gw, np, [options.Protocol]) : Text.Of("Diag.Fix.EnableUpnp", gw.Gateway);
            if (reachable)
            {
                f.Info(FindingIds.NoGateway, Text.Of("Diag.NoGatewayButReachable", Math.Round(probe.Elapsed.TotalMilliseconds)));
            }
            else
            {
                f.Fault(FindingIds.NoGateway, Text.Of("Diag.NoGateway"), manual, ("gateway", gw.Gateway.ToString()), ("probeMs", Math.Round(probe.Elapsed.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        if (options.Port is int mport && mapper is not null)
        {
            // A listing exists only when UPnP answered; otherwise the mapping cannot be judged.
            AnalyseMapping(f, gw, mport, options.Protocol, mapping, mappingKnown, reachable);
        }

        if (options.Port is int hp && listens && options.Protocol == TransportProtocol.Tcp && publicAddress is not null && !publicHost)
        {
            bool hairpin = await HairpinAsync(publicAddress, hp, token).ConfigureAwait(false);
            f.Info(FindingIds.Hairpin, Text.Of("Diag.Hairpin", publicAddress, hp, Text.Of(hairpin ? "Diag.Hairpin.Works" : "Diag.Hairpin.Fails")),
                ("hairpin", hairpin ? "true" : "false"));
        }

        AnalyseFirewall(f, options, firewall.Detection, firewall.Evaluations, reachable);
        AnalyseCheck(f, options, check, reachable);
        await AnalyseUrlAsync(f, options, publicAddress, token).ConfigureAwait(false);
        return Finish(options, f, started);
    }

    /// <summary>Hairpin wait: the router answers a connection to its own outside address at once, or not at all.</summary>
    public static readonly TimeSpan HairpinTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Connects from this PC to the public address (NAT loopback). Evidence only: many routers lack hairpin NAT.</summary>
    private static async Task<bool> HairpinAsync(IPAddress publicAddress, int port, CancellationToken token)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(HairpinTimeout);
        using var client = new System.Net.Sockets.TcpClient(publicAddress.AddressFamily);
        try
        {
            await client.ConnectAsync(publicAddress, port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            return false;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static void AnalyseNat(FindingList f, GatewayInfo gw, bool publicHost, IPAddress? external, IPAddress? publicAddress, IReadOnlyList<IPAddress?> hops, bool reachable)
    {
        if (publicHost)
        {
            return;
        }

        // Hops after the first (the home router itself): a private one means a second NAT router, a 100.64/10 one the ISP's NAT.
        var beyond = hops.Skip(1).Where(h => h is not null && !h.Equals(gw.Gateway)).Select(h => h!).ToList();
        var secondPrivate = beyond.FirstOrDefault(h => AddressClass.Classify(h) == AddressKind.Private);
        var carrierHop = beyond.FirstOrDefault(h => AddressClass.Classify(h) == AddressKind.CarrierGradeNat);
        var externalKind = external is null ? (AddressKind?)null : AddressClass.Classify(external);
        var severity = reachable ? Severity.Warning : Severity.Fault;

        if (externalKind == AddressKind.CarrierGradeNat || carrierHop is not null)
        {
            f.Add(FindingIds.Cgnat, severity, Text.Of("Diag.Cgnat", (object?)external?.ToString() ?? carrierHop!.ToString(), (object?)publicAddress?.ToString() ?? Text.Of("Common.Unknown")),
                Text.Of("Diag.Fix.Cgnat"),
                ("externalAddress", external?.ToString() ?? ""), ("carrierHop", carrierHop?.ToString() ?? ""), ("publicAddress", publicAddress?.ToString() ?? ""));
            return;
        }

        if (externalKind == AddressKind.Private || secondPrivate is not null)
        {
            var second = secondPrivate?.ToString() ?? external!.ToString();
            f.Add(FindingIds.DoubleNat, severity, Text.Of("Diag.DoubleNat", gw.Gateway, second, (object?)external?.ToString() ?? Text.Of("Common.Unknown")),
                Text.Of("Diag.Fix.DoubleNat", second),
                ("firstRouter", gw.Gateway.ToString()), ("secondRouter", second), ("externalAddress", external?.ToString() ?? ""));
            return;
        }

        if (externalKind == AddressKind.Public && publicAddress is not null && !publicAddress.Equals(external))
        {
            // The router has a global address but the internet sees another: the ISP translates again.
            f.Add(FindingIds.Cgnat, severity, Text.Of("Diag.PublicDiffers", external!, publicAddress), Text.Of("Diag.Fix.Cgnat"),
                ("externalAddress", external!.ToString()), ("publicAddress", publicAddress.ToString()));
            return;
        }

        if (external is null && !reachable && publicAddress is not null && hops.Count == 0)
        {
            // Nothing to compare with: say so rather than guess.
            f.Info(FindingIds.ExternalAddress, Text.Of("Diag.ExternalUnknown"));
        }
    }

    private static void AnalyseMapping(FindingList f, GatewayInfo gw, int port, TransportProtocol protocol, MappingRecord? mapping, bool known, bool reachable)
    {
        string p = protocol.ToCli();
        if (!known)
        {
            return;
        }

        if (mapping is null)
        {
            if (reachable)
            {
                f.Info(FindingIds.Mapping, Text.Of("Diag.NoMappingButReachable", port, p));
            }
            else
            {
                f.Fault(FindingIds.NoMapping, Text.Of("Diag.NoMapping", port, p), Text.Of("Diag.Fix.Open", port, p), ("port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            return;
        }

        var evidence = new (string, string)[]
        {
            ("internalClient", mapping.InternalClient.ToString()),
            ("internalPort", mapping.InternalPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("thisPc", gw.LocalAddress.ToString()),
            ("leaseSeconds", ((long)mapping.Lease.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (!mapping.InternalClient.Equals(gw.LocalAddress))
        {
            bool onLan = gw.IsOnLocalSubnet(mapping.InternalClient);
            f.Fault(onLan ? FindingIds.StaleMapping : FindingIds.MappingConflict,
                Text.Of("Diag.StaleMapping", port, p, mapping.InternalClient, mapping.InternalPort, gw.LocalAddress),
                Text.Of("Diag.Fix.StaleMapping", port, p, mapping.InternalClient, gw.LocalAddress, gw.Gateway), evidence);
        }
        else if (mapping.InternalPort != port)
        {
            f.Fault(FindingIds.MappingConflict, Text.Of("Diag.MappingOtherPort", port, p, mapping.InternalPort), Text.Of("Diag.Fix.MappingOtherPort", port, p), evidence);
        }
        else
        {
            f.Info(FindingIds.Mapping, Text.Of("Diag.MappingFine", port, p, mapping.InternalClient, mapping.InternalPort, OpenWorkflow.LeaseText(mapping.Lease)), evidence);
        }
    }

    private static void AnalyseFirewall(FindingList f, DiagnoseOptions options, Firewall.FirewallDetection? detection,
        IReadOnlyList<HostFirewallSteps.Evaluation> evaluations, bool reachable)
    {
        if (detection is null || options.Port is not int port)
        {
            return;
        }

        string p = options.Protocol.ToCli();
        string portText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{port}/{p}");
        foreach (var e in evaluations)
        {
            if (e.Verdict is null)
            {
                f.Info(FindingIds.HostFirewall, Text.Of("Firewall.NoneActive"), ("backend", "none"), ("checked", detection.Describe()));
                continue;
            }

            string rule = e.Verdict.DecidedBy?.ToString() ?? e.Verdict.Reason ?? "";
            var evidence = new (string, string)[] { ("backend", e.Verdict.Backend), ("decision", e.Verdict.Decision.ToString().ToLowerInvariant()), ("decidedBy", rule) };
            switch (e.Verdict.Decision)
            {
                case Firewall.FirewallDecision.Blocked:
                    f.Fault(FindingIds.HostFirewallBlocks, Text.Of("Diag.HostFirewallBlocks", e.Verdict.Backend, portText, rule), Text.Of("Diag.Fix.HostFirewall", port, p), evidence);
                    break;
                case Firewall.FirewallDecision.Allowed:
                    f.Info(FindingIds.HostFirewall, Text.Of("Firewall.Allows", e.Verdict.Backend, portText, rule), evidence);
                    break;
                default:
                    f.Warning(FindingIds.HostFirewall, Text.Of("Firewall.Unknown", e.Verdict.Backend, portText, e.Verdict.Reason ?? ""), Text.Of("Diag.Fix.HostFirewall", port, p), evidence);
                    break;
            }
        }

        var findings = HostFirewallSteps.Relevant(detection);
        foreach (var finding in findings)
        {
            var evidence = (finding.Evidence ?? new Dictionary<string, string>()).Select(kv => (kv.Key, kv.Value)).Append(("code", finding.Code)).ToArray();
            if (finding.Code == Firewall.FirewallFindingCodes.ThirdPartyFirewall)
            {
                f.Add(FindingIds.ThirdPartyFirewall, reachable ? Severity.Warning : Severity.Fault, Text.Of("Diag.ThirdPartyFirewall", finding.Message),
                    Text.Of("Diag.Fix.ThirdPartyFirewall", "", p.ToUpperInvariant(), port), evidence);
            }
            else if (finding.Code == Firewall.FirewallFindingCodes.BlockAllIncoming)
            {
                f.Fault(FindingIds.HostFirewallBlocks, Text.Of("Diag.ThirdPartyFirewall", finding.Message), Text.Of("Diag.Fix.HostFirewall", port, p), evidence);
            }
            else
            {
                f.Warning(FindingIds.HostFirewall, Text.Of("Diag.ThirdPartyFirewall", finding.Message), null, evidence);
            }
        }
    }

    private static void AnalyseCheck(FindingList f, DiagnoseOptions options, ReachabilityReport? check, bool reachable)
    {
        if (options.Port is not int port)
        {
            return;
        }

        string p = options.Protocol.ToCli();
        if (check is null)
        {
            f.Warning(FindingIds.NoChecker, Text.Of("Check.NoChecker"), null);
            return;
        }

        var evidence = new (string, string)[]
        {
            ("checker", check.Checker.ToString()),
            ("state", check.State?.ToString().ToLowerInvariant() ?? "error"),
            ("temporaryResponder", check.TemporaryResponderUsed ? "true" : "false"),
        };
        if (check.Error is not null)
        {
            f.Warning(FindingIds.NoChecker, Text.Of("Check.CouldNotRun", check.Error.Problem, check.Error.Fix), null, evidence);
        }
        else if (reachable)
        {
            f.Info(FindingIds.Reachable, Text.Of(check.TemporaryResponderUsed ? "Diag.ReachableViaResponder" : "Diag.Reachable", port, p, check.Checker.ToString()), evidence);
        }
        else
        {
            f.Fault(FindingIds.NotReachable,
                Text.Of(check.State == ReachabilityState.Closed ? "Diag.NotReachableClosed" : "Diag.NotReachableFiltered", port, p, check.Checker.ToString()),
                Text.Of("Diag.Fix.NotReachable"), evidence);
        }
    }

    private static async Task AnalyseUrlAsync(FindingList f, DiagnoseOptions options, IPAddress? publicAddress, CancellationToken token)
    {
        if (options.Url is not Uri url)
        {
            return;
        }

        int urlPort = url.Port;
        var problems = new List<Text>();
        if (options.Port is int port && urlPort != port)
        {
            problems.Add(Text.Of("Diag.Url.PortDiffers", urlPort, port));
        }

        IPAddress[] hostAddresses = [];
        if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var literal))
        {
            hostAddresses = [literal];
        }
        else
        {
            try
            {
                hostAddresses = await Dns.GetHostAddressesAsync(url.Host, token).ConfigureAwait(false);
            }
            catch (System.Net.Sockets.SocketException)
            {
                problems.Add(Text.Of("Diag.Url.HostUnknown", url.Host));
            }
        }

        if (publicAddress is not null && hostAddresses.Length > 0 && !hostAddresses.Contains(publicAddress))
        {
            problems.Add(Text.Of("Diag.Url.HostDiffers", url.Host, string.Join(", ", hostAddresses.Select(a => a.ToString())), publicAddress));
        }

        var evidence = new (string, string)[]
        {
            ("url", url.ToString()),
            ("urlPort", urlPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("urlAddresses", string.Join(",", hostAddresses.Select(a => a.ToString()))),
            ("publicAddress", publicAddress?.ToString() ?? ""),
        };
        if (problems.Count == 0)
        {
            f.Info(FindingIds.Url, Text.Of("Diag.Url.Matches", url.ToString()), evidence);
        }
        else
        {
            var joined = problems.Skip(1).Aggregate(problems[0], (acc, t) => Text.Of("Common.Join", acc, t));
            f.Fault(FindingIds.UrlMismatch, Text.Of("Diag.Url.Mismatch", url.ToString(), joined), Text.Of("Diag.Fix.Url"), evidence);
        }
    }

    private async Task<IPAddress?> HopTargetAsync(DiagnoseOptions options, CancellationToken token)
    {
        if (options.StunServers.Count > 0)
        {
            return options.StunServers[0].Address;
        }

        if (_context.Checker?.Endpoint.BaseUri is Uri checker)
        {
            if (IPAddress.TryParse(checker.Host.Trim('[', ']'), out var address))
            {
                return address;
            }

            try
            {
                var addresses = await Dns.GetHostAddressesAsync(checker.Host, System.Net.Sockets.AddressFamily.InterNetwork, token).ConfigureAwait(false);
                return addresses.FirstOrDefault();
            }
            catch (System.Net.Sockets.SocketException)
            {
                return null;
            }
        }

        return null;
    }

    private static DiagnoseReport Finish(DiagnoseOptions options, FindingList f, long started)
    {
        var ordered = f.Items
            .OrderByDescending(x => x.Severity)
            .ThenBy(x => RootCause.Precedence.ToList() is var order && order.Contains(x.Id) ? order.IndexOf(x.Id) : int.MaxValue)
            .ToList();
        var root = RootCause.Choose(ordered);
        var verdict = root is null
            ? (options.Port is int port ? Text.Of("Diag.Verdict.AllFinePort", port, options.Protocol.ToCli()) : Text.Of("Diag.Verdict.AllFine"))
            : Text.Of("Diag.Verdict.Fault", root.Message, (object?)root.Fix ?? "");
        int exit = root is null ? ExitCodes.Success : root.Id == FindingIds.NoNetwork ? ExitCodes.Environment : ExitCodes.NotReachable;
        return new DiagnoseReport(options.Port, options.Protocol.ToCli(), root, verdict, ordered,
            (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, exit);
    }

    /// <summary>Collects findings with terse helpers, publishing each as it is made.</summary>
    private sealed class FindingList(Progress.IProgressSink progress)
    {
        public List<Finding> Items { get; } = [];

        public void Add(string id, Severity severity, Text message, Text? fix, params (string Key, string Value)[] evidence)
        {
            var finding = new Finding(id, severity, message, fix, evidence.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal));
            Items.Add(finding);
            progress.FindingMade(finding);
        }

        public void Info(string id, Text message, params (string Key, string Value)[] evidence) => Add(id, Severity.Info, message, null, evidence);

        public void Warning(string id, Text message, Text? fix, params (string Key, string Value)[] evidence) => Add(id, Severity.Warning, message, fix, evidence);

        public void Fault(string id, Text message, Text fix, params (string Key, string Value)[] evidence) => Add(id, Severity.Fault, message, fix, evidence);
    }
}
