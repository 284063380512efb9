using PortDoctor.Core.Inputs;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Progress;
using PortDoctor.Core.Reports;

namespace PortDoctor.Core.Workflows;

/// <summary><c>portdoctor check PORT</c>: who listens, then the outside check (the outside check only; changes nothing).</summary>
public sealed class CheckWorkflow
{
    private readonly WorkflowContext _context;

    /// <summary>Creates the workflow.</summary>
    /// <param name="context">The seams.</param>
    public CheckWorkflow(WorkflowContext context) => _context = context;

    /// <summary>Runs the check.</summary>
    /// <param name="port">The port, 1–65535.</param>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The checklist, verdict and exit code (0 reachable, 1 not, 3 when no checker could be asked).</returns>
    public async Task<CommandReport> RunAsync(int port, TransportProtocol protocol, CancellationToken cancellationToken)
    {
        var steps = new StepRecorder(_context.Progress);
        if (PortInput.RangeWarning(port) is Text rangeWarning)
        {
            steps.Add(new ChecklistStep("port", StepStatus.Warning, rangeWarning));
        }

        steps.Add(ListenerSteps.Describe(_context.PortOwners, protocol, port, out bool listens));
        var (detection, evaluations) = await HostFirewallSteps.InspectAsync(_context, port, [protocol], null, cancellationToken).ConfigureAwait(false);
        steps.AddRange(HostFirewallSteps.Describe(detection, evaluations, port));
        var check = await OutsideCheck.RunAsync(_context, port, [protocol], new Dictionary<TransportProtocol, bool> { [protocol] = listens }, cancellationToken)
            .ConfigureAwait(false);
        steps.AddRange(check.Steps);
        return new CommandReport("check", port, steps.ToList(), check.Verdict, check.Summary, check.Verdict switch
        {
            Verdict.Reachable => ExitCodes.Success,
            Verdict.NotReachable => ExitCodes.NotReachable,

            // No checker, or it could not be asked: nothing was checked, which is a problem of the setup.
            _ => ExitCodes.Environment,
        });
    }
}
