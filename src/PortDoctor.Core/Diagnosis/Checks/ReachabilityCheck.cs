using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Core.Diagnosis.Checks;

/// <summary>
/// Reachability: the outside checker connects back; a temporary responder stands in when nothing listens.
/// <c>reachable</c>, <c>not-reachable</c>, <c>no-checker</c>.
/// </summary>
internal static class ReachabilityCheck
{
    /// <summary>Runs the outside check; none without a port or a checker.</summary>
    /// <param name="checker">The checker; null when none is named.</param>
    /// <param name="options">What to diagnose.</param>
    /// <param name="listens">True when a program listens on the port (then no responder is started).</param>
    /// <param name="cancellationToken">The diagnose budget.</param>
    /// <returns>The report; null when nothing was checked.</returns>
    public static async Task<ReachabilityReport?> RunAsync(ICheckerClient? checker, DiagnoseOptions options, bool listens, CancellationToken cancellationToken) =>
        options.Port is int port && checker is not null
            ? await new ReachabilityChecker(checker).CheckAsync(port, options.Protocol, listens, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>True when the outside check reached the port; every other check weighs its finding by this.</summary>
    /// <param name="check">The report; null when nothing was checked.</param>
    /// <returns>True for <see cref="ReachabilityState.Open"/>.</returns>
    public static bool IsReachable(ReachabilityReport? check) => check is { State: ReachabilityState.Open };

    /// <summary>
    /// Why the outside check proved nothing, or null when it did (or saw the port closed or filtered, which is a fault
    /// of its own). Finding nothing wrong on this side is no proof: only an outside connection is.
    /// </summary>
    /// <param name="check">The outside check; null when none ran (no checker named).</param>
    /// <returns>The reason, for the "not confirmed" verdict.</returns>
    public static Text? WhyUnproven(ReachabilityReport? check) => check switch
    {
        null => Text.Of("Diag.Unconfirmed.NoChecker"),
        { Error: not null } => Text.Of("Diag.Unconfirmed.CheckFailed"),
        _ => null,
    };

    /// <summary>Reports the outcome of the outside check.</summary>
    /// <param name="f">Where findings go.</param>
    /// <param name="options">What was diagnosed.</param>
    /// <param name="check">The report; null when no checker was asked.</param>
    public static void Report(FindingList f, DiagnoseOptions options, ReachabilityReport? check)
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
        else if (IsReachable(check))
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
}
