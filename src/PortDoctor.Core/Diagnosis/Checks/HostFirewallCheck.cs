using System.Globalization;
using PortDoctor.Core.Firewall;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Diagnosis.Checks;

/// <summary>
/// This PC's firewall: the rules are read and evaluated for inbound traffic to the port, never changed;
/// <c>host-firewall</c>, <c>host-firewall-blocks</c>, <c>third-party-firewall</c>.
/// </summary>
internal static class HostFirewallCheck
{
    /// <summary>What the inspection found; an empty one when there is no port or no firewall seam.</summary>
    /// <param name="Detection">The detection; null when nothing was inspected.</param>
    /// <param name="Evaluations">One evaluation for the port's protocol.</param>
    public sealed record Facts(FirewallDetection? Detection, IReadOnlyList<HostFirewallSteps.Evaluation> Evaluations)
    {
        /// <summary>Nothing inspected.</summary>
        public static readonly Facts None = new(null, []);
    }

    /// <summary>Detects the firewall and evaluates inbound traffic to the port. Read-only.</summary>
    /// <param name="context">The seams.</param>
    /// <param name="options">What to diagnose.</param>
    /// <param name="cancellationToken">The diagnose budget.</param>
    /// <returns>The facts.</returns>
    public static async Task<Facts> InspectAsync(WorkflowContext context, DiagnoseOptions options, CancellationToken cancellationToken)
    {
        if (options.Port is not int port)
        {
            return Facts.None;
        }

        var (detection, evaluations) = await HostFirewallSteps.InspectAsync(context, port, [options.Protocol], null, cancellationToken).ConfigureAwait(false);
        return new Facts(detection, evaluations);
    }

    /// <summary>Reports the verdicts and the firewall findings that concern every inbound connection.</summary>
    /// <param name="f">Where findings go.</param>
    /// <param name="options">What was diagnosed.</param>
    /// <param name="facts">What <see cref="InspectAsync"/> found.</param>
    /// <param name="reachable">True when the outside check reached the port: a security suite is then only a warning.</param>
    public static void Report(FindingList f, DiagnoseOptions options, Facts facts, bool reachable)
    {
        if (facts.Detection is not { } detection || options.Port is not int port)
        {
            return;
        }

        string p = options.Protocol.ToCli();
        string portText = string.Create(CultureInfo.InvariantCulture, $"{port}/{p}");
        foreach (var e in facts.Evaluations)
        {
            if (e.Verdict is null)
            {
                f.Info(FindingIds.HostFirewall, Text.Of("Firewall.NoneActive", portText), ("backend", "none"), ("checked", detection.CheckedEvidence()));
                continue;
            }

            string rule = e.Verdict.DecidedBy?.ToString() ?? e.Verdict.Reason?.ToString() ?? "";
            var evidence = new (string, string)[] { ("backend", e.Verdict.Backend), ("decision", e.Verdict.Decision.ToString().ToLowerInvariant()), ("decidedBy", rule) };
            switch (e.Verdict.Decision)
            {
                case FirewallDecision.Blocked:
                    f.Fault(FindingIds.HostFirewallBlocks, Text.Of("Diag.HostFirewallBlocks", e.Verdict.Backend, portText, rule), Text.Of("Diag.Fix.HostFirewall", port, p), evidence);
                    break;
                case FirewallDecision.Allowed:
                    f.Info(FindingIds.HostFirewall, Text.Of("Firewall.Allows", e.Verdict.Backend, portText, rule), evidence);
                    break;
                default:
                    f.Warning(FindingIds.HostFirewall, Text.Of("Firewall.Unknown", e.Verdict.Backend, portText, e.Verdict.Reason), Text.Of("Diag.Fix.HostFirewall", port, p), evidence);
                    break;
            }
        }

        foreach (var finding in HostFirewallSteps.Relevant(detection))
        {
            var evidence = (finding.Evidence ?? new Dictionary<string, string>()).Select(kv => (kv.Key, kv.Value)).Append(("code", finding.Code)).ToArray();
            if (finding.Code == FirewallFindingCodes.ThirdPartyFirewall)
            {
                f.Add(FindingIds.ThirdPartyFirewall, reachable ? Severity.Warning : Severity.Fault, Text.Of("Diag.ThirdPartyFirewall", finding.Message),
                    Text.Of("Diag.Fix.ThirdPartyFirewall", "", p.ToUpperInvariant(), port), evidence);
            }
            else if (finding.Code == FirewallFindingCodes.BlockAllIncoming)
            {
                f.Fault(FindingIds.HostFirewallBlocks, Text.Of("Diag.ThirdPartyFirewall", finding.Message), Text.Of("Diag.Fix.HostFirewall", port, p), evidence);
            }
            else
            {
                f.Warning(FindingIds.HostFirewall, Text.Of("Diag.ThirdPartyFirewall", finding.Message), null, evidence);
            }
        }
    }
}
