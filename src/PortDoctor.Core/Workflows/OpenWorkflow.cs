using System.Globalization;
using PortDoctor.Core.Inputs;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
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
        var steps = new List<ChecklistStep>();
        int port = options.Port;

        string? rangeWarning = PortInput.RangeWarning(port);
        steps.Add(rangeWarning is null
            ? new ChecklistStep("port", StepStatus.AlreadyFine, $"Port {port} is in the recommended range ({PortInput.FirstRegisteredPort}–65535).")
            : new ChecklistStep("port", StepStatus.Warning, rangeWarning));

        var gateways = _context.FindGateways(options.Gateway);
        if (gateways.Count == 0)
        {
            string why = options.Gateway is null
                ? "This PC has no IPv4 default gateway: it is not connected to a network, or is connected without a router."
                : $"There is no route from this PC to the gateway {options.Gateway}.";
            steps.Add(new ChecklistStep("network", StepStatus.Failed, why + " Connect to your home network and try again."));
            return Finish("open", port, steps, Verdict.NoNetwork, "No network: nothing was changed.", ExitCodes.Environment);
        }

        var gw = gateways[0];
        steps.Add(new ChecklistStep("network", StepStatus.AlreadyFine,
            $"This PC is {gw.LocalAddress} on {gw.InterfaceName}; the router is {gw.Gateway}.",
            Evidence(("lanAddress", gw.LocalAddress.ToString()), ("gateway", gw.Gateway.ToString()), ("interface", gw.InterfaceName))));

        var listening = new Dictionary<TransportProtocol, bool>();
        foreach (var protocol in options.Protocols)
        {
            var step = ListenerSteps.Describe(_context.PortOwners, protocol, port, out bool listens);
            listening[protocol] = listens;
            steps.Add(step);
        }

        var mapped = new List<MappingRecord>();
        bool mappingFailed = false;
        string? manualAdvice = null;
        if (options.NoRouter)
        {
            steps.Add(new ChecklistStep("gateway", StepStatus.Skipped, "Router step skipped (--no-router)."));
        }
        else
        {
            var probe = await _context.GatewayProbe.ProbeAsync(gateways, cancellationToken).ConfigureAwait(false);
            if (probe.Mappers.Count == 0)
            {
                manualAdvice = ManualForwarding(gw, port, options.Protocols);
                steps.Add(new ChecklistStep("gateway", StepStatus.Failed,
                    string.Create(CultureInfo.InvariantCulture, $"No UPnP/NAT-PMP/PCP gateway answered within {probe.Elapsed.TotalMilliseconds:0} ms. ") + manualAdvice,
                    Evidence(("gateway", gw.Gateway.ToString()), ("notes", string.Join(" | ", probe.Notes)))));
                return Finish("open", port, steps, Verdict.NoGateway,
                    "Nothing was changed on the router: it did not answer any port-mapping protocol. " + manualAdvice, ExitCodes.NotReachable);
            }

            var mapper = probe.Mappers[0];
            var external = await mapper.GetExternalAddressAsync(cancellationToken).ConfigureAwait(false);
            steps.Add(new ChecklistStep("gateway", StepStatus.AlreadyFine,
                $"Router found: {mapper.GatewayDescription} ({MethodName(mapper.Method)}); its external address is {external?.ToString() ?? "unknown"}.",
                Evidence(("method", mapper.Method), ("router", mapper.GatewayDescription), ("externalAddress", external?.ToString() ?? ""))));
            WarnAboutExternalAddress(steps, external);

            foreach (var protocol in options.Protocols)
            {
                var request = new MappingRequest(protocol, port, gw.LocalAddress, port, options.Lease, options.Description);
                var outcome = await MapJournaledAsync(mapper, gw, request, cancellationToken).ConfigureAwait(false);
                string id = "mapping." + protocol.ToCli();
                if (outcome.Succeeded)
                {
                    var r = outcome.Record!;
                    mapped.Add(r);
                    steps.Add(new ChecklistStep(id, StepStatus.Done,
                        $"Router forwards {r.ExternalPort}/{protocol.ToCli()} to {r.InternalClient}:{r.InternalPort} (lease {DurationInput.Format(r.Lease)}, {MethodName(r.Method)})."
                        + (outcome.Detail is null ? "" : " " + outcome.Detail),
                        Evidence(("externalPort", r.ExternalPort.ToString(CultureInfo.InvariantCulture)), ("internalClient", r.InternalClient.ToString()),
                            ("internalPort", r.InternalPort.ToString(CultureInfo.InvariantCulture)), ("leaseSeconds", ((long)r.Lease.TotalSeconds).ToString(CultureInfo.InvariantCulture)))));
                }
                else
                {
                    mappingFailed = true;
                    steps.Add(new ChecklistStep(id, StepStatus.Failed, MappingFailureText(outcome, request, gw),
                        Evidence(("failure", outcome.Failure.ToString()), ("detail", outcome.Detail ?? ""), ("holder", outcome.ConflictHolder ?? ""))));
                }
            }
        }

        if (mappingFailed && mapped.Count == 0)
        {
            return Finish("open", port, steps, Verdict.MappingFailed,
                "The router refused the mapping; see the failed step for why and what to change.", ExitCodes.NotReachable);
        }

        if (options.NoCheck)
        {
            steps.Add(new ChecklistStep("check", StepStatus.Skipped, "Outside check skipped (--no-check)."));
            return Finish("open", port, steps, mappingFailed ? Verdict.MappingFailed : Verdict.Unconfirmed,
                mappingFailed ? "Part of the mapping failed; see above." : "The port is mapped. It was not checked from outside (--no-check); run 'portdoctor check " + port.ToString(CultureInfo.InvariantCulture) + "' to prove it.",
                mappingFailed ? ExitCodes.NotReachable : ExitCodes.Success);
        }

        var check = await OutsideCheck.RunAsync(_context, port, options.Protocols, listening, cancellationToken).ConfigureAwait(false);
        steps.AddRange(check.Steps);
        string summary = check.Summary;
        if (check.Verdict != Verdict.Reachable && manualAdvice is not null)
        {
            summary += " " + manualAdvice;
        }

        int exit = check.Verdict == Verdict.Reachable && !mappingFailed ? ExitCodes.Success : ExitCodes.NotReachable;
        return Finish("open", port, steps, mappingFailed && check.Verdict == Verdict.Reachable ? Verdict.MappingFailed : check.Verdict, summary, exit);
    }

    private async Task<MappingOutcome> MapJournaledAsync(IPortMapper mapper, GatewayInfo gw, MappingRequest request, CancellationToken cancellationToken)
    {
        // Intent first and durable: if we die after sending, close/undo still knows what to remove.
        var intent = JournalMapping.Intent(mapper.Method, gw.Gateway, request, (mapper as IUpnpDetails)?.ControlUrl, (mapper as IUpnpDetails)?.ServiceType);
        string id = _context.Journal.WriteIntent(intent);
        MappingOutcome outcome;
        try
        {
            outcome = await mapper.MapAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Leave the intent open: close/undo checks the router and removes it if it was made.
            throw;
        }

        if (outcome.Succeeded)
        {
            _context.Journal.MarkDone(id, JournalMapping.FromRecord(outcome.Record!));
        }
        else
        {
            _context.Journal.MarkFailed(id, intent, outcome.Failure + ": " + outcome.Detail);
        }

        return outcome;
    }

    private static void WarnAboutExternalAddress(List<ChecklistStep> steps, System.Net.IPAddress? external)
    {
        if (external is null)
        {
            return;
        }

        switch (AddressClass.Classify(external))
        {
            case AddressKind.Private:
                steps.Add(new ChecklistStep("externalAddress", StepStatus.Warning,
                    $"The router's external address {external} is private: another router sits between it and the internet (double NAT). That router must forward the port too, or be put in bridge mode.",
                    Evidence(("externalAddress", external.ToString()), ("finding", "double-nat"))));
                break;
            case AddressKind.CarrierGradeNat:
                steps.Add(new ChecklistStep("externalAddress", StepStatus.Warning,
                    $"The router's external address {external} is in 100.64.0.0/10: your ISP shares one public address among customers (carrier-grade NAT), so port forwarding cannot reach you. Ask the ISP for a global (fixed) IPv4 address, use IPv6, or use a relay service.",
                    Evidence(("externalAddress", external.ToString()), ("finding", "cgnat"))));
                break;
        }
    }

    private static string MappingFailureText(MappingOutcome outcome, MappingRequest request, GatewayInfo gw)
    {
        string what = $"Mapping {request.ExternalPort}/{request.Protocol.ToCli()} → {request.InternalClient}:{request.InternalPort} failed";
        return outcome.Failure switch
        {
            MappingFailureKind.NotAuthorized => $"{what}: the router does not let this PC add mappings ({outcome.Detail}). Enable UPnP / \"allow mapping changes\" in the router's settings at http://{gw.Gateway}/, or forward the port there by hand.",
            MappingFailureKind.ConflictWithOtherHost => $"{what}: the router already forwards this port to {outcome.ConflictHolder ?? "another device"}. If that was this PC under an old address, remove the old forwarding in the router's settings; otherwise pick another port.",
            MappingFailureKind.ReadBackMismatch => $"{what}: the router said yes but holds different values ({outcome.Detail}).",
            MappingFailureKind.NoAnswer => $"{what}: the router stopped answering ({outcome.Detail}).",
            _ => $"{what}: {outcome.Detail}.",
        };
    }

    /// <summary>Exact values for forwarding the port by hand in the router's web page.</summary>
    /// <param name="gw">The gateway and this PC's address.</param>
    /// <param name="port">The port.</param>
    /// <param name="protocols">The protocols.</param>
    /// <returns>The advice sentence.</returns>
    public static string ManualForwarding(GatewayInfo gw, int port, IReadOnlyList<TransportProtocol> protocols)
    {
        ArgumentNullException.ThrowIfNull(gw);
        ArgumentNullException.ThrowIfNull(protocols);
        string proto = string.Join(" and ", protocols.Select(p => p.ToUpnp()));
        return $"Forward it by hand in the router's settings (usually http://{gw.Gateway}/): external port {port}, protocol {proto}, to internal address {gw.LocalAddress} port {port}. If the router has a UPnP option, turning it on lets PortDoctor do this for you.";
    }

    internal static string MethodName(string method) => method switch
    {
        "upnp" => "UPnP IGD",
        "natpmp" => "NAT-PMP",
        "pcp" => "PCP",
        _ => method,
    };

    internal static Dictionary<string, string> Evidence(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static CommandReport Finish(string command, int port, List<ChecklistStep> steps, Verdict verdict, string summary, int exitCode) =>
        new(command, port, steps, verdict, summary, exitCode);
}
