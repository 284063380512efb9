using System.Globalization;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Progress;
using PortDoctor.Core.Reports;

namespace PortDoctor.Core.Workflows;

/// <summary>
/// <c>portdoctor close PORT</c> and <c>portdoctor undo</c>: revert journaled changes, newest first. Only
/// what PortDoctor added is touched; a mapping already gone counts as reverted.
/// </summary>
public sealed class CloseWorkflow
{
    private readonly WorkflowContext _context;

    /// <summary>Creates the workflow.</summary>
    /// <param name="context">The seams.</param>
    public CloseWorkflow(WorkflowContext context) => _context = context;

    /// <summary>Reverts the outstanding changes for one port, or all of them.</summary>
    /// <param name="port">The port to close, or null for every change (undo).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>A step per change and the verdict: exit 0 when everything was reverted.</returns>
    /// <exception cref="JournalException">The journal cannot be read or written.</exception>
    public async Task<CommandReport> RunAsync(int? port, CancellationToken cancellationToken)
    {
        string command = port is null ? "undo" : "close";
        var steps = new StepRecorder(_context.Progress);
        var outstanding = _context.Journal.Outstanding()
            // A mapping is found by the port `open` was given (its internal port) too: the router may have granted
            // another external port, and `close PORT` must remove what `open PORT` added.
            .Where(e => port is null || e.Change.ExternalPort == port || (e.Change.Kind == JournalMapping.Kind && e.Change.InternalPort == port))
            .Reverse()
            .ToList();

        if (outstanding.Count == 0)
        {
            var nothing = port is null ? Text.Of("Close.NothingToUndo") : Text.Of("Close.NothingToClose", port);
            steps.Add(new ChecklistStep("journal", StepStatus.AlreadyFine, nothing));
            return new CommandReport(command, port ?? 0, steps.ToList(), Verdict.Reverted, port is null ? Text.Of("Close.Summary.NothingToUndo") : Text.Of("Close.Summary.NothingToClose", port), ExitCodes.Success);
        }

        int failures = 0;
        var seen = new HashSet<(string, string, string?, string, int)>();
        foreach (var entry in outstanding)
        {
            var change = entry.Change;
            string label = string.Create(CultureInfo.InvariantCulture, $"{change.ExternalPort}/{change.Protocol}");
            string id = "revert." + change.Kind + "." + change.Protocol + "." + change.ExternalPort.ToString(CultureInfo.InvariantCulture);
            if (!seen.Add(change.Target()))
            {
                // The same mapping refreshed twice: one delete removes it, the older entry only needs closing.
                _context.Journal.MarkReverted(entry.Id, change);
                continue;
            }

            if (change.Kind == "firewall")
            {
                steps.Waiting(Text.Of("Wait.RemoveRule", change.Method, label));
                var fw = await HostFirewallSteps.RevertAsync(_context, change, cancellationToken).ConfigureAwait(false);
                if (fw.Status is Firewall.FirewallChangeStatus.Removed or Firewall.FirewallChangeStatus.AlreadyGone)
                {
                    _context.Journal.MarkReverted(entry.Id, change);
                    steps.Add(new ChecklistStep(id, StepStatus.Done, Text.Of("Firewall.Removed", change.Method, label, fw.Message)));
                }
                else
                {
                    failures++;
                    steps.Add(new ChecklistStep(id, StepStatus.Failed, Text.Of("Firewall.RemoveFailed", change.Method, label, (object?)fw.CommandForAdministrator ?? fw.Message),
                        OpenWorkflow.Evidence(("status", fw.Status.ToString()))));
                }

                continue;
            }

            if (!MappingMethods.TryParse(change.Method, out _))
            {
                failures++;
                steps.Add(new ChecklistStep(id, StepStatus.Failed, Text.Of("Close.UnknownMethod", label, change.Method)));
                continue;
            }

            if (!JournalMapping.TryToRecord(change, out var record, out var error))
            {
                failures++;
                steps.Add(new ChecklistStep(id, StepStatus.Failed, Text.Of("Close.CannotRebuild", label, error)));
                continue;
            }

            var mapper = _context.MapperFactory.ForRecord(record!);
            if (mapper is null)
            {
                failures++;
                steps.Add(new ChecklistStep(id, StepStatus.Failed, Text.Of("Close.UnknownMethod", label, change.Method)));
                continue;
            }

            steps.Waiting(Text.Of("Wait.Unmap", label, mapper.Method.DisplayName(), change.Gateway));
            var outcome = await mapper.UnmapAsync(record!, cancellationToken).ConfigureAwait(false);
            if (outcome.Succeeded)
            {
                _context.Journal.MarkReverted(entry.Id, change);
                steps.Add(new ChecklistStep(id, StepStatus.Done, Text.Of(
                    entry.Op == JournalOp.Intent ? "Close.RemovedPending" : "Close.Removed",
                    label, record!.InternalClient, record.InternalPort, record.Method.DisplayName(), (object?)MappingTexts.NotesSentence(outcome.Notes) ?? string.Empty)));
            }
            else
            {
                failures++;
                steps.Add(new ChecklistStep(id, StepStatus.Failed,
                    Text.Of("Close.RemoveFailed", label, record!.Method.DisplayName(), change.Gateway, MappingTexts.Failure(outcome)),
                    OpenWorkflow.Evidence(("failure", outcome.Failure.ToString()), ("detail", outcome.Reason?.MachineName() ?? ""))));
            }
        }

        var summary = failures == 0
            ? (port is null ? Text.Of("Close.Summary.Undone") : Text.Of("Close.Summary.Closed", port))
            : Text.Of("Close.Summary.Failures", failures);
        return new CommandReport(command, port ?? 0, steps.ToList(), failures == 0 ? Verdict.Reverted : Verdict.RevertFailed, summary,
            failures == 0 ? ExitCodes.Success : ExitCodes.NotReachable);
    }
}
