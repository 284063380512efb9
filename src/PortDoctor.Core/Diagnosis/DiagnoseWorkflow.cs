using System.Diagnostics;
using System.Net;
using PortDoctor.Core.Diagnosis.Checks;
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
/// Each analysis is a check in <c>Diagnosis/Checks</c>; this class only orders them.
/// </summary>
public sealed class DiagnoseWorkflow
{
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
        var gateways = _context.FindGateways(options.Gateway);
        if (NetworkCheck.Run(f, gateways) is not GatewayInfo gw)
        {
            return Finish(options, f, started);
        }

        bool listens = false;
        if (options.Port is int port)
        {
            PortRangeCheck.Run(f, port);
            listens = ListenerCheck.Run(f, _context.PortOwners, options.Protocol, port);
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(options.Budget);
        var token = budget.Token;

        // Diagnose wants every protocol that answers (UPnP lists the table even when PCP maps), not just the fastest.
        var probeTask = _context.GatewayProbe.ProbeAllAsync(gateways, token);
        var stunTask = PublicAddressCheck.QueryStunAsync(_context.Stun, options.StunServers, token);
        var myAddressTask = PublicAddressCheck.AskCheckerAsync(_context.Checker, token);
        var checkTask = ReachabilityCheck.RunAsync(_context.Checker, options, listens, token);
        var firewallTask = HostFirewallCheck.InspectAsync(_context, options, token);
        var hopTarget = await HopsCheck.TargetAsync(_context, options, token).ConfigureAwait(false);
        var hopsTask = HopsCheck.TraceAsync(_context.Hops, hopTarget, token);

        // Announced after the checks have started: the firewall read announces itself on the way, and this wait is
        // for all of them together.
        _context.Progress.Waiting(Text.Of("Wait.Diagnose"));

        GatewayProbeResult probe;
        IReadOnlyList<StunResult> stunResults;
        CheckerAddressResult? myAddress;
        ReachabilityReport? check;
        IReadOnlyList<IPAddress?> hopList;
        HostFirewallCheck.Facts firewall;
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
            f.Warning(FindingIds.Budget, Text.Of("Diag.BudgetExceeded", Math.Round(options.Budget.TotalSeconds)), null);
            return Finish(options, f, started, Text.Of("Diag.Unconfirmed.Budget"));
        }

        // The order of the calls is the order of findings of equal weight in the report.
        bool reachable = ReachabilityCheck.IsReachable(check);
        var router = await RouterCheck.AskAsync(probe, options, token).ConfigureAwait(false);
        RouterCheck.Report(f, gw, options, probe, router, reachable);
        var publicAddress = PublicAddressCheck.Report(f, myAddress, stunResults);
        HopsCheck.Report(f, hopTarget, hopList);
        PathCheck.Report(f, gw, router.External, publicAddress, hopList, reachable);
        MappingCheck.Report(f, gw, options, router, reachable);
        await HairpinCheck.RunAsync(f, _context.TcpConnector, options, listens, publicAddress, NetworkCheck.IsPublicHost(gw), token).ConfigureAwait(false);
        HostFirewallCheck.Report(f, options, firewall, reachable);
        ReachabilityCheck.Report(f, options, check);
        await UrlCheck.RunAsync(f, _context.HostResolver, options, publicAddress, token).ConfigureAwait(false);
        return Finish(options, f, started, ReachabilityCheck.WhyUnproven(check));
    }

    /// <summary>
    /// Orders the findings, chooses the root cause, and words the verdict and exit code. <paramref name="unproven"/>:
    /// why nothing outside proved the port reachable; null when something did, or when there is nothing to prove.
    /// </summary>
    private static DiagnoseReport Finish(DiagnoseOptions options, FindingList f, long started, Text? unproven = null)
    {
        var order = RootCause.Precedence.ToList();
        var ordered = f.Items
            .OrderByDescending(x => x.Severity)
            .ThenBy(x => order.IndexOf(x.Id) is int i and >= 0 ? i : int.MaxValue)
            .ToList();
        var root = RootCause.Choose(ordered);
        unproven = root is null && options.Port is not null ? unproven : null;
        var verdict = root is not null
            ? Text.Of("Diag.Verdict.Fault", root.Message, (object?)root.Fix ?? "")
            : unproven is not null
                ? Text.Of("Diag.Verdict.UnconfirmedPort", options.Port, options.Protocol.ToCli(), unproven)
                : options.Port is int port ? Text.Of("Diag.Verdict.AllFinePort", port, options.Protocol.ToCli()) : Text.Of("Diag.Verdict.AllFine");
        int exit = root is not null
            ? root.Id == FindingIds.NoNetwork ? ExitCodes.Environment : ExitCodes.NotReachable
            : unproven is not null ? ExitCodes.NotReachable : ExitCodes.Success;
        return new DiagnoseReport(options.Port, options.Protocol.ToCli(), root, verdict, ordered,
            (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, exit)
        {
            Confirmed = unproven is null,
        };
    }
}
