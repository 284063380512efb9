using System.Globalization;
using PortDoctor.Core.Inputs;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Progress;
using PortDoctor.Core.Reports;

namespace PortDoctor.Core.Workflows;

/// <summary>
/// <c>portdoctor open</c>: validate the port, find the LAN address toward the gateway, tell who listens,
/// map the port on the router (journaled), check from outside, and sum it up in a checklist and verdict.
/// </summary>
public sealed class OpenWorkflow
{
    private readonly WorkflowContext _context;

    /// <summary>Creates the workflow over its seams.</summary>
    /// <param name="context">The seams.</param>
    public OpenWorkflow(WorkflowContext context) => _context = context;

    /// <summary>Runs <c>open</c>. Failures end up in the report; only caller cancellation throws.</summary>
    /// <param name="options">What to open.</param>
    /// <param name="cancellationToken">Cancels the run; changes already made stay journaled for <c>close</c>.</param>
    /// <returns>The checklist, verdict and exit code.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<CommandReport> RunAsync(OpenOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var steps = new StepRecorder(_context.Progress);
        int port = options.Port;

        var rangeWarning = PortInput.RangeWarning(port);
        steps.Add(rangeWarning is null
            ? new ChecklistStep("port", StepStatus.AlreadyFine, Text.Of("Open.PortInRange", port, PortInput.FirstRegisteredPort))
            : new ChecklistStep("port", StepStatus.Warning, rangeWarning));

        var gateways = _context.FindGateways(options.Gateway);
        if (gateways.Count == 0)
        {
            steps.Add(new ChecklistStep("network", StepStatus.Failed, options.Gateway is null
                ? Text.Of("Network.NoGateway")
                : Text.Of("Network.NoRouteToGateway", options.Gateway)));
            return Finish("open", port, steps, Verdict.NoNetwork, Text.Of("Open.Summary.NoNetwork"), ExitCodes.Environment);
        }

        var gw = gateways[0];
        steps.Add(new ChecklistStep("network", StepStatus.AlreadyFine,
            Text.Of("Network.Found", gw.LocalAddress, gw.InterfaceName, gw.Gateway),
            Evidence(("lanAddress", gw.LocalAddress.ToString()), ("gateway", gw.Gateway.ToString()), ("interface", gw.InterfaceName))));

        var listening = new Dictionary<TransportProtocol, bool>();
        foreach (var protocol in options.Protocols)
        {
            var step = ListenerSteps.Describe(_context.PortOwners, protocol, port, options.ProgramPath, out bool listens);
            listening[protocol] = listens;
            steps.Add(step);
        }

        // The PC's own firewall comes before the router (the guide's order): a mapping is useless if the PC drops the traffic.
        bool firewallFailed = false;
        if (options.NoFirewall)
        {
            steps.Add(new ChecklistStep("firewall", StepStatus.Skipped, Text.Of("Firewall.Skipped")));
        }
        else
        {
            string? program = options.ProgramPath ?? ProgramOf(options.Protocols, port);
            var (firewallSteps, failed) = await HostFirewallSteps.EnsureOpenAsync(_context, port, options.Protocols, program, cancellationToken).ConfigureAwait(false);
            steps.AddRange(firewallSteps);
            firewallFailed = failed;
        }

        var mapped = new List<MappingRecord>();
        bool mappingFailed = false;
        System.Net.IPAddress? routerExternal = null;
        Text? manualAdvice = null;
        if (options.NoRouter)
        {
            steps.Add(new ChecklistStep("gateway", StepStatus.Skipped, Text.Of("Open.RouterSkipped")));
        }
        else if (AddressClass.IsPublic(gw.LocalAddress))
        {
            // A PC with a global address has no NAT in front of it: nothing to map, and waiting for a router to
            // answer would only end in advice to forward by hand on a router that is not there. The check still runs.
            steps.Add(new ChecklistStep("gateway", StepStatus.AlreadyFine, Text.Of("Open.PublicHost", gw.LocalAddress),
                Evidence(("lanAddress", gw.LocalAddress.ToString()), ("finding", "public-host"))));
        }
        else
        {
            steps.Waiting(Text.Of("Wait.Router", gw.Gateway));
            var probe = await _context.GatewayProbe.ProbeAsync(gateways, cancellationToken).ConfigureAwait(false);
            if (probe.Mappers.Count == 0)
            {
                manualAdvice = ManualForwarding(gw, port, options.Protocols);
                steps.Add(new ChecklistStep("gateway", StepStatus.Failed,
                    Text.Of("Gateway.NoneAnswered", Math.Round(probe.Elapsed.TotalMilliseconds), manualAdvice),
                    Evidence(("gateway", gw.Gateway.ToString()), ("notes", string.Join(" | ", probe.Notes)))));
                return Finish("open", port, steps, Verdict.NoGateway, Text.Of("Open.Summary.NoGateway", manualAdvice), ExitCodes.NotReachable);
            }

            var mapper = probe.Mappers[0];
            var external = probe.Answers.FirstOrDefault(a => a.Mapper == mapper)?.ExternalAddress
                ?? await mapper.GetExternalAddressAsync(cancellationToken).ConfigureAwait(false);
            Text router = probe.RouterName is { } name ? Text.Of("Common.Verbatim", name) : mapper.GatewayDescription;
            steps.Add(new ChecklistStep("gateway", StepStatus.AlreadyFine,
                Text.Of("Gateway.Found", router, string.Join(", ", probe.Mappers.Select(m => m.Method.DisplayName())), (object?)external?.ToString() ?? Text.Of("Common.Unknown")),
                Evidence(("method", mapper.Method.ToWireName()), ("methods", string.Join(",", probe.Mappers.Select(m => m.Method.ToWireName()))), ("router", router.ToString()), ("externalAddress", external?.ToString() ?? ""))));
            WarnAboutExternalAddress(steps, external);
            routerExternal = external;

            GatewayProbeResult? everything = null;
            foreach (var protocol in options.Protocols)
            {
                var request = new MappingRequest(protocol, port, gw.LocalAddress, port, options.Lease, options.Description);
                steps.Waiting(Text.Of("Wait.Mapping", port, protocol.ToCli()));
                var result = await MapperFallback.MapAsync(probe.Mappers, request, MapJournaledAsync, cancellationToken).ConfigureAwait(false);
                if (!result.Outcome.Succeeded)
                {
                    // The probe returns at the first good answer (PCP), so a router that speaks UPnP IGD as well may not
                    // be in the list. When every protocol found has failed or declined, every protocol is asked once
                    // (the wait is only paid on failure) and the ones not tried yet get their turn: behind a second NAT
                    // PCP refuses while UPnP may map, and UPnP may take ports below 1024 that NAT-PMP/PCP decline.
                    everything ??= await _context.GatewayProbe.ProbeAllAsync(gateways, cancellationToken).ConfigureAwait(false);
                    var untried = everything.Mappers.Where(m => !result.Attempts.Any(a => a.Mapper.Method == m.Method)).ToList();
                    if (untried.Count > 0)
                    {
                        var later = await MapperFallback.MapAsync(untried, request, MapJournaledAsync, cancellationToken).ConfigureAwait(false);
                        result = new FallbackResult(later.Outcome, later.Mapper ?? result.Mapper, [.. result.Attempts, .. later.Attempts]);
                    }
                }

                var outcome = result.Outcome;
                string id = "mapping." + protocol.ToCli();
                if (outcome.Succeeded)
                {
                    var r = outcome.Record!;
                    mapped.Add(r);
                    Text? note = FallbackNote(result);
                    steps.Add(new ChecklistStep(id, StepStatus.Done,
                        note is null
                            ? Text.Of("Mapping.Done", r.ExternalPort, protocol.ToCli(), r.InternalClient, r.InternalPort, LeaseText(r.Lease), r.Method.DisplayName())
                            : Text.Of("Mapping.DoneWithNote", r.ExternalPort, protocol.ToCli(), r.InternalClient, r.InternalPort, LeaseText(r.Lease), r.Method.DisplayName(), note),
                        Evidence(("method", r.Method.ToWireName()), ("externalPort", r.ExternalPort.ToString(CultureInfo.InvariantCulture)), ("internalClient", r.InternalClient.ToString()),
                            ("internalPort", r.InternalPort.ToString(CultureInfo.InvariantCulture)), ("leaseSeconds", ((long)r.Lease.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
                            ("attempts", Attempts(result)))));
                }
                else
                {
                    mappingFailed = true;
                    steps.Add(new ChecklistStep(id, StepStatus.Failed, MappingFailureText(outcome, request, gw),
                        Evidence(("method", result.Mapper?.Method.ToWireName() ?? ""), ("failure", outcome.Failure.ToString()), ("detail", outcome.Reason?.MachineName() ?? ""), ("holder", outcome.ConflictHolder ?? ""),
                            ("attempts", Attempts(result)))));
                }
            }
        }

        if (mappingFailed && mapped.Count == 0)
        {
            return Finish("open", port, steps, Verdict.MappingFailed, MappingFailedSummary(routerExternal, port), ExitCodes.NotReachable);
        }

        if (options.NoCheck)
        {
            steps.Add(new ChecklistStep("check", StepStatus.Skipped, Text.Of("Open.CheckSkipped")));
            return Finish("open", port, steps, mappingFailed ? Verdict.MappingFailed : Verdict.Unconfirmed,
                mappingFailed ? Text.Of("Open.Summary.PartlyFailed")
                    : options.NoRouter ? Text.Of("Open.Summary.RouterSkippedUnchecked", port)
                    : Text.Of("Open.Summary.MappedUnchecked", port),
                mappingFailed ? ExitCodes.NotReachable : ExitCodes.Success);
        }

        // The router may have granted another external port: that is the one the world must use, so that is checked.
        var granted = mapped.Where(r => r.ExternalPort != port).GroupBy(r => r.Protocol).ToDictionary(g => g.Key, g => g.First().ExternalPort);
        var check = await OutsideCheck.RunAsync(_context, port, options.Protocols, listening, cancellationToken, granted).ConfigureAwait(false);
        steps.AddRange(check.Steps);
        var summary = check.Summary;

        int exit = check.Verdict == Verdict.Reachable && !mappingFailed && !firewallFailed ? ExitCodes.Success : ExitCodes.NotReachable;
        return Finish("open", port, steps, mappingFailed && check.Verdict == Verdict.Reachable ? Verdict.MappingFailed : check.Verdict, summary, exit);
    }

    /// <summary>The executable that listens on the port, when one does (Windows firewall rules may be per program).</summary>
    private string? ProgramOf(IReadOnlyList<TransportProtocol> protocols, int port) =>
        protocols.SelectMany(p => _context.PortOwners.FindOwners(p, port)).Select(o => o.ExecutablePath).FirstOrDefault(p => p is not null);

    /// <summary>One mapper's turn, journaled: intent (with the mapper's revert data) durable before the request goes out,
    /// so that close/undo know what to remove if PortDoctor dies after sending.</summary>
    private async Task<MappingOutcome> MapJournaledAsync(IPortMapper mapper, MappingRequest request, CancellationToken cancellationToken) =>
        (await JournalMapping.MapAsync(_context.Journal, mapper, request, null, cancellationToken).ConfigureAwait(false)).Result;

    private static string Attempts(FallbackResult result) => string.Join(",", result.Attempts.Select(a => a.Mapper.Method.ToWireName()));

    /// <summary>What happened before the mapper that worked (declined or failed protocols), plus its own notes.</summary>
    private static Text? FallbackNote(FallbackResult result)
    {
        Text? notes = MappingTexts.NotesSentence(result.Outcome.Notes);
        var earlier = result.Attempts.Where(a => a.Mapper != result.Mapper).ToList();
        if (earlier.Count == 0)
        {
            return notes;
        }

        Text tried = MappingTexts.JoinClauses(earlier.Select(a => Text.Of("Mapping.Attempt", a.Mapper.Method.DisplayName(), AttemptReason(a))))!;
        return Text.Of("Mapping.FellBack", tried, result.Mapper!.Method.DisplayName(), (object?)notes ?? string.Empty);
    }

    private static Text AttemptReason(MappingAttempt attempt) =>
        attempt.Declined is { } declined ? MappingTexts.Reason(declined) : MappingTexts.Failure(attempt.Outcome!);

    private static void WarnAboutExternalAddress(StepRecorder steps, System.Net.IPAddress? external)
    {
        if (external is null)
        {
            return;
        }

        switch (AddressClass.Classify(external))
        {
            case AddressKind.Private:
                steps.Add(new ChecklistStep("externalAddress", StepStatus.Warning, Text.Of("ExternalAddress.Private", external),
                    Evidence(("externalAddress", external.ToString()), ("finding", "double-nat"))));
                break;
            case AddressKind.CarrierGradeNat:
                steps.Add(new ChecklistStep("externalAddress", StepStatus.Warning, Text.Of("ExternalAddress.Cgnat", external),
                    Evidence(("externalAddress", external.ToString()), ("finding", "cgnat"))));
                break;
        }
    }

    internal static Text MappingFailureText(MappingOutcome outcome, MappingRequest request, GatewayInfo gw)
    {
        var what = Text.Of("Mapping.Failed", request.ExternalPort, request.Protocol.ToCli(), request.InternalClient, request.InternalPort);
        Text detail = MappingTexts.Failure(outcome);
        return outcome.Failure switch
        {
            // miniupnpd's default rules allow only 1024–65535 and answer 606 for the rest: the same code as "mapping changes
            // are off", but the fix is another port, not a router setting (docs/quirks.md#Q-UPNP-606).
            MappingFailureKind.NotAuthorized when request.ExternalPort < PortInput.FirstRegisteredPort && outcome.Reason is UpnpFaultFailure fault =>
                Text.Of("Mapping.Failed.LowPortRefused", what, (object?)fault.FaultCode ?? "", PortInput.FirstRegisteredPort, request.ExternalPort, gw.Gateway),
            MappingFailureKind.NotAuthorized => Text.Of("Mapping.Failed.NotAuthorized", what, detail, gw.Gateway),
            MappingFailureKind.ConflictWithOtherHost => Text.Of("Mapping.Failed.Conflict", what, (object?)outcome.ConflictHolder ?? Text.Of("Common.AnotherDevice")),
            MappingFailureKind.ReadBackMismatch => Text.Of("Mapping.Failed.ReadBack", what, detail),
            MappingFailureKind.NoAnswer => Text.Of("Mapping.Failed.NoAnswer", what, detail),
            _ => Text.Of("Mapping.Failed.Other", what, detail),
        };
    }

    /// <summary>
    /// The summary when nothing could be mapped. Behind a second NAT (the router's own outside address is private or
    /// in 100.64.0.0/10) the router's refusal is a symptom: the summary names the cause and the fix diagnose gives.
    /// </summary>
    private static Text MappingFailedSummary(System.Net.IPAddress? routerExternal, int port) =>
        (routerExternal is null ? AddressKind.Unspecified : AddressClass.Classify(routerExternal)) switch
        {
            AddressKind.Private => Text.Of("Open.Summary.MappingFailedDoubleNat", routerExternal, port),
            AddressKind.CarrierGradeNat => Text.Of("Open.Summary.MappingFailedCgnat", routerExternal, Text.Of("Diag.Fix.Cgnat"), port),
            _ => Text.Of("Open.Summary.MappingFailed"),
        };

    /// <summary>"permanent" or a duration such as "1d", as a text.</summary>
    /// <param name="lease">The lease; zero is permanent.</param>
    /// <returns>The text.</returns>
    internal static Text LeaseText(TimeSpan lease) =>
        lease <= TimeSpan.Zero ? Text.Of("Common.Permanent") : Text.Of("Common.Verbatim", DurationInput.Format(lease));

    /// <summary>Exact values for forwarding the port by hand in the router's web page.</summary>
    /// <param name="gw">The gateway and this PC's address.</param>
    /// <param name="port">The port.</param>
    /// <param name="protocols">The protocols.</param>
    /// <returns>The advice sentence.</returns>
    public static Text ManualForwarding(GatewayInfo gw, int port, IReadOnlyList<TransportProtocol> protocols)
    {
        ArgumentNullException.ThrowIfNull(gw);
        ArgumentNullException.ThrowIfNull(protocols);
        string proto = string.Join("+", protocols.Select(p => p.ToUpnp()));
        return Text.Of("Gateway.ForwardManually", gw.Gateway, port, proto, gw.LocalAddress);
    }

    internal static Dictionary<string, string> Evidence(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static CommandReport Finish(string command, int port, StepRecorder steps, Verdict verdict, Text summary, int exitCode) =>
        new(command, port, steps.ToList(), verdict, summary, exitCode);
}
