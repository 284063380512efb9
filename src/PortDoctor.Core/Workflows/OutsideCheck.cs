using System.Globalization;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Progress;
using PortDoctor.Core.Reachability;
using PortDoctor.Core.Reports;

namespace PortDoctor.Core.Workflows;

/// <summary>The outside-check part shared by <c>open</c> and <c>check</c> (README.md, "The checker").</summary>
internal static class OutsideCheck
{
    /// <summary>What the outside check found.</summary>
    /// <param name="Steps">One step per protocol (or one explaining why no check ran).</param>
    /// <param name="Verdict">Reachable only when every protocol was reachable; NotReachable when the checker saw one
    /// closed or filtered; Unconfirmed when no checker is set or it could not be asked.</param>
    /// <param name="Summary">The sentence for the verdict line.</param>
    public sealed record Result(IReadOnlyList<ChecklistStep> Steps, Verdict Verdict, Text Summary);

    /// <summary>Asks the checker to connect back on each protocol, standing in with a temporary responder where nothing listens.</summary>
    /// <param name="context">The seams (the checker may be null).</param>
    /// <param name="port">The port.</param>
    /// <param name="protocols">The protocols to check.</param>
    /// <param name="listening">For each protocol, whether a program already listens.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <param name="externalPorts">Per protocol, the external port the router granted when it is not <paramref name="port"/>
    /// (the checker must test that one: the asked port may be someone else's mapping); null or absent: the same port.</param>
    /// <returns>Steps and verdict.</returns>
    public static async Task<Result> RunAsync(WorkflowContext context, int port, IReadOnlyList<TransportProtocol> protocols,
        IReadOnlyDictionary<TransportProtocol, bool> listening, CancellationToken cancellationToken,
        IReadOnlyDictionary<TransportProtocol, int>? externalPorts = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(protocols);
        ArgumentNullException.ThrowIfNull(listening);
        var steps = new StepRecorder(context.Progress);
        if (context.Checker is null)
        {
            steps.Add(new ChecklistStep("check", StepStatus.Failed, Text.Of("Check.NoChecker")));
            return new Result(steps, Verdict.Unconfirmed, Text.Of("Check.Summary.NoChecker"));
        }

        var checker = new ReachabilityChecker(context.Checker);
        bool allOpen = true;
        bool anyNotReachable = false;
        var standIns = new List<string>();
        string? publicAddress = null;
        int? movedTo = null;
        foreach (var protocol in protocols)
        {
            bool listens = listening.TryGetValue(protocol, out bool l) && l;
            int outside = externalPorts is not null && externalPorts.TryGetValue(protocol, out int granted) ? granted : port;
            if (outside != port)
            {
                movedTo ??= outside;
            }

            steps.Waiting(Text.Of("Wait.Checker", context.Checker.Endpoint.ToString(), string.Create(CultureInfo.InvariantCulture, $"{outside}/{protocol.ToCli()}")));
            var report = await checker.CheckAsync(port, protocol, listens, cancellationToken, outside).ConfigureAwait(false);
            string id = "check." + protocol.ToCli();
            string where = report.PublicAddress is null ? outside.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{report.PublicAddress}:{outside}");
            publicAddress ??= report.PublicAddress?.ToString();
            var evidence = OpenWorkflow.Evidence(
                ("checker", report.Checker.ToString()),
                ("state", report.State?.ToString().ToLowerInvariant() ?? "error"),
                ("rttMs", report.RttMs?.ToString("0.0", CultureInfo.InvariantCulture) ?? ""),
                ("publicAddress", report.PublicAddress?.ToString() ?? ""),
                ("temporaryResponder", report.TemporaryResponderUsed ? "true" : "false"));
            if (report.Error is not null)
            {
                allOpen = false;
                steps.Add(new ChecklistStep(id, StepStatus.Failed, Text.Of("Check.CouldNotRun", report.Error.Problem, report.Error.Fix), evidence));
                continue;
            }

            string rtt = report.RttMs is double ms ? string.Create(CultureInfo.InvariantCulture, $", {ms:0} ms") : "";
            string note = report.Note ?? "";
            string target = string.Create(CultureInfo.InvariantCulture, $"{where}/{protocol.ToCli()}");
            string checkerText = report.Checker + rtt;
            switch (report.State)
            {
                case ReachabilityState.Open when report.TemporaryResponderUsed:
                    standIns.Add(protocol.ToCli().ToUpperInvariant());
                    steps.Add(new ChecklistStep(id, StepStatus.Done, Text.Of("Check.OpenViaResponder", target, checkerText, note), evidence));
                    break;
                case ReachabilityState.Open:
                    steps.Add(new ChecklistStep(id, StepStatus.Done, Text.Of("Check.Open", target, checkerText, note), evidence));
                    break;
                case ReachabilityState.Closed:
                    allOpen = false;
                    anyNotReachable = true;
                    steps.Add(new ChecklistStep(id, StepStatus.Failed, Text.Of("Check.Closed", target, note), evidence));
                    break;
                case ReachabilityState.Filtered when !report.DistinguishesClosed:
                    // Transmission's and echoip's tests answer only yes or no: "no" may be a reset or silence.
                    allOpen = false;
                    anyNotReachable = true;
                    steps.Add(new ChecklistStep(id, StepStatus.Failed, Text.Of("Check.NotReachableYesNo", target, report.Checker.ToString(), note), evidence));
                    break;
                default:
                    allOpen = false;
                    anyNotReachable = true;
                    steps.Add(new ChecklistStep(id, StepStatus.Failed, Text.Of("Check.Filtered", target, note), evidence));
                    break;
            }
        }

        if (allOpen)
        {
            bool anyStandIn = standIns.Count > 0;
            string standInText = string.Join("/", standIns);
            int shown = movedTo ?? port;
            var summary = publicAddress is null
                ? Text.Of(anyStandIn ? "Check.Summary.ReachableStartProgram" : "Check.Summary.Reachable", shown, standInText)
                : Text.Of(anyStandIn ? "Check.Summary.ReachableAtStartProgram" : "Check.Summary.ReachableAt", shown, publicAddress, standInText);
            return new Result(steps, Verdict.Reachable, movedTo is int moved ? Text.Of("Check.Summary.WithMovedPort", summary, moved, port) : summary);
        }

        // A checker that could not be asked proves nothing either way: "not reachable" would send the user
        // hunting for a fault in a port that may be fine.
        return anyNotReachable
            ? new Result(steps, Verdict.NotReachable, Text.Of("Check.Summary.NotReachable", movedTo ?? port))
            : new Result(steps, Verdict.Unconfirmed, Text.Of("Check.Summary.CouldNotRun", movedTo ?? port));
    }
}
