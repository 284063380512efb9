using System.Globalization;
using PortDoctor.Core.Firewall;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Reports;

namespace PortDoctor.Core.Workflows;

/// <summary>
/// The host-firewall part of <c>open</c>, <c>check</c> and <c>diagnose</c> (README.md, "Commands": the host firewall paragraph): read the
/// rules, and where inbound traffic to the port would not be accepted, add one narrow, tagged allow rule —
/// journaled before it is added, so <c>close</c>/<c>undo</c> remove exactly it. Never disables a firewall.
/// </summary>
internal static class HostFirewallSteps
{
    /// <summary>What the firewall inspection found for one protocol.</summary>
    /// <param name="Protocol">TCP or UDP.</param>
    /// <param name="Verdict">The backend's verdict; null when no filtering firewall is active.</param>
    public sealed record Evaluation(TransportProtocol Protocol, FirewallVerdict? Verdict);

    /// <summary>Detects the firewall and evaluates inbound traffic to the port for each protocol. Read-only.</summary>
    /// <param name="context">The seams.</param>
    /// <param name="port">The port.</param>
    /// <param name="protocols">The protocols.</param>
    /// <param name="programPath">The program that should receive the traffic (Windows rules may be per program).</param>
    /// <param name="cancellationToken">Cancels the inspection.</param>
    /// <returns>The detection (null when the context has no firewall seam) and one evaluation per protocol.</returns>
    public static async Task<(FirewallDetection? Detection, IReadOnlyList<Evaluation> Evaluations)> InspectAsync(
        WorkflowContext context, int port, IReadOnlyList<TransportProtocol> protocols, string? programPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(protocols);
        if (context.Firewall is null)
        {
            return (null, []);
        }

        context.Progress.Waiting(Text.Of("Wait.Firewall"));
        var detection = await context.Firewall.DetectAsync(context.ForcedFirewall, cancellationToken).ConfigureAwait(false);
        var evaluations = new List<Evaluation>();
        foreach (var protocol in protocols)
        {
            var verdict = detection.Firewall is null
                ? null
                : await detection.Firewall.EvaluateInboundAsync(new InboundQuery(protocol, port, programPath), cancellationToken).ConfigureAwait(false);
            evaluations.Add(new Evaluation(protocol, verdict));
        }

        return (detection, evaluations);
    }

    /// <summary>Checklist lines for the inspection (check/diagnose style: nothing changed).</summary>
    /// <param name="detection">The detection.</param>
    /// <param name="evaluations">The evaluations.</param>
    /// <param name="port">The port.</param>
    /// <returns>One step per protocol, plus one per firewall finding (block-all, third-party firewall).</returns>
    public static List<ChecklistStep> Describe(FirewallDetection? detection, IReadOnlyList<Evaluation> evaluations, int port)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        var steps = new List<ChecklistStep>();
        if (detection is null)
        {
            return steps;
        }

        foreach (var e in evaluations)
        {
            string id = "firewall." + e.Protocol.ToCli();
            string portText = string.Create(CultureInfo.InvariantCulture, $"{port}/{e.Protocol.ToCli()}");
            if (e.Verdict is null)
            {
                steps.Add(new ChecklistStep(id, StepStatus.AlreadyFine, Text.Of("Firewall.NoneActive", portText),
                    OpenWorkflow.Evidence(("backend", "none"), ("decision", "allowed"), ("checked", detection.CheckedEvidence()))));
                continue;
            }

            steps.Add(e.Verdict.Decision switch
            {
                FirewallDecision.Allowed => new ChecklistStep(id, StepStatus.AlreadyFine, Text.Of("Firewall.Allows", e.Verdict.Backend, portText, RuleText(e.Verdict)), Evidence(e.Verdict)),
                FirewallDecision.Blocked => new ChecklistStep(id, StepStatus.Failed, Text.Of("Firewall.Blocks", e.Verdict.Backend, portText, RuleText(e.Verdict)), Evidence(e.Verdict)),
                _ => new ChecklistStep(id, StepStatus.Warning, Text.Of("Firewall.Unknown", e.Verdict.Backend, portText, e.Verdict.Reason), Evidence(e.Verdict)),
            });
        }

        steps.AddRange(FindingSteps(detection));
        return steps;
    }

    /// <summary>Makes sure the host firewall admits the port: adds one narrow tagged rule per protocol where needed, journaled.</summary>
    /// <param name="context">The seams.</param>
    /// <param name="port">The port.</param>
    /// <param name="protocols">The protocols.</param>
    /// <param name="programPath">The program path, when known.</param>
    /// <param name="cancellationToken">Cancels the run; a rule being added stays journaled as an intent for undo.</param>
    /// <returns>The steps and whether any failed.</returns>
    public static async Task<(List<ChecklistStep> Steps, bool Failed)> EnsureOpenAsync(
        WorkflowContext context, int port, IReadOnlyList<TransportProtocol> protocols, string? programPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (detection, evaluations) = await InspectAsync(context, port, protocols, programPath, cancellationToken).ConfigureAwait(false);
        var steps = new List<ChecklistStep>();
        bool failed = false;
        if (detection is null)
        {
            return (steps, false);
        }

        foreach (var e in evaluations)
        {
            string id = "firewall." + e.Protocol.ToCli();
            string portText = string.Create(CultureInfo.InvariantCulture, $"{port}/{e.Protocol.ToCli()}");
            if (e.Verdict is null || detection.Firewall is null)
            {
                steps.Add(new ChecklistStep(id, StepStatus.AlreadyFine, Text.Of("Firewall.NoneActive", portText), OpenWorkflow.Evidence(("backend", "none"), ("checked", detection.CheckedEvidence()))));
                continue;
            }

            if (e.Verdict.Decision == FirewallDecision.Allowed)
            {
                steps.Add(new ChecklistStep(id, StepStatus.AlreadyFine, Text.Of("Firewall.Allows", e.Verdict.Backend, portText, RuleText(e.Verdict)), Evidence(e.Verdict)));
                continue;
            }

            // Blocked, or unknown: a narrow allow rule for exactly this port is safe either way.
            var firewall = detection.Firewall;
            var intent = new FirewallRuleHandle(firewall.Name, e.Protocol, port, string.Empty).ToJournalChange();
            var query = new InboundQuery(e.Protocol, port, programPath);
            var result = (await Journal.JournaledChange.RunAsync(
                context.Journal,
                intent,
                ct => firewall.AddAllowRuleAsync(query, ct),
                r => r.Status == FirewallChangeStatus.Added && r.Handle is not null
                    ? Journal.ChangeSettlement.Made(r.Handle.ToJournalChange())
                    : Journal.ChangeSettlement.NotMade(r.Status.ToString()),
                cancellationToken).ConfigureAwait(false)).Result;
            var evidence = OpenWorkflow.Evidence(("backend", firewall.Name), ("status", result.Status.ToString()),
                ("before", e.Verdict.Decision.ToString().ToLowerInvariant()), ("decidedBy", Rule(e.Verdict)), ("rule", result.Handle?.Locator ?? ""));
            switch (result.Status)
            {
                case FirewallChangeStatus.Added when result.Handle is not null:
                    steps.Add(new ChecklistStep(id, StepStatus.Done, Text.Of("Firewall.Added", firewall.Name, portText, RuleText(e.Verdict), result.Message), evidence));
                    break;
                case FirewallChangeStatus.AlreadyPresent or FirewallChangeStatus.NotNeeded:
                    steps.Add(new ChecklistStep(id, StepStatus.AlreadyFine, Text.Of("Firewall.AlreadyAdmits", firewall.Name, portText, result.Message), evidence));
                    break;
                case FirewallChangeStatus.NeedsPrivilege:
                    failed = true;
                    steps.Add(new ChecklistStep(id, StepStatus.Failed, Text.Of("Firewall.NeedsPrivilege", firewall.Name, portText, (object?)result.CommandForAdministrator ?? result.Message), evidence));
                    break;
                default:
                    failed = true;
                    steps.Add(new ChecklistStep(id, StepStatus.Failed, Text.Of("Firewall.AddFailed", firewall.Name, portText, result.Message), evidence));
                    break;
            }
        }

        steps.AddRange(FindingSteps(detection));
        return (steps, failed);
    }

    /// <summary>Removes a journaled firewall rule.</summary>
    /// <param name="context">The seams.</param>
    /// <param name="change">The journaled change (kind "firewall").</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>The result; a rule already gone counts as success.</returns>
    public static async Task<FirewallChangeResult> RevertAsync(WorkflowContext context, Journal.JournalChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!FirewallRuleHandle.TryRead(change, out var handle, out var problem))
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, problem.Text);
        }

        if (context.Firewall is null)
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, Text.Of("FirewallChange.NoAccess"), handle);
        }

        var firewall = context.Firewall.Create(handle.Backend);
        return await firewall.RemoveRuleAsync(handle, cancellationToken).ConfigureAwait(false);
    }

    private static IEnumerable<ChecklistStep> FindingSteps(FirewallDetection detection)
    {
        var findings = Relevant(detection);
        foreach (var finding in findings)
        {
            var status = finding.Code is FirewallFindingCodes.ThirdPartyFirewall or FirewallFindingCodes.BlockAllIncoming ? StepStatus.Failed : StepStatus.Warning;
            yield return new ChecklistStep("firewall.finding." + finding.Code, status, Text.Of("Firewall.Finding", finding.Message),
                finding.Evidence ?? new Dictionary<string, string>(StringComparer.Ordinal));
        }
    }

    /// <summary>
    /// The findings worth showing: those of the active firewall, plus from the other backends only what
    /// concerns every inbound connection (a third-party firewall, "block all incoming"); a backend that is
    /// simply not installed is not news.
    /// </summary>
    /// <param name="detection">The detection.</param>
    /// <returns>The findings, without duplicates.</returns>
    public static IEnumerable<FirewallFinding> Relevant(FirewallDetection detection)
    {
        ArgumentNullException.ThrowIfNull(detection);
        return (detection.State?.Findings ?? [])
            .Concat(detection.Checked.SelectMany(c => c.Findings)
                .Where(f => f.Code is FirewallFindingCodes.ThirdPartyFirewall or FirewallFindingCodes.BlockAllIncoming))
            .DistinctBy(f => f.Code + f.Message.ToString());
    }

    private static string Rule(FirewallVerdict verdict) => verdict.DecidedBy?.ToString() ?? verdict.Reason?.ToString() ?? "";

    // In a sentence: the deciding rule verbatim, or why there is none in the reader's language.
    private static object? RuleText(FirewallVerdict verdict) => verdict.DecidedBy?.ToString() ?? (object?)verdict.Reason;

    private static Dictionary<string, string> Evidence(FirewallVerdict verdict) => OpenWorkflow.Evidence(
        ("backend", verdict.Backend), ("decision", verdict.Decision.ToString().ToLowerInvariant()),
        ("decidedBy", verdict.DecidedBy?.ToString() ?? ""), ("reason", verdict.Reason?.ToString() ?? ""), ("notes", string.Join(" | ", verdict.Notes)));
}
