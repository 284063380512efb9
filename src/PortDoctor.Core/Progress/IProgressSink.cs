using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Reports;

namespace PortDoctor.Core.Progress;

/// <summary>
/// Receives what a workflow decides while it runs, so that people see each line when it happens rather than when the
/// command ends, and so that an interrupted run can still tell what it did. Calls may come from any thread; a sink
/// must not throw. Rendering stays with the sink: everything arrives as language-independent data.
/// </summary>
public interface IProgressSink
{
    /// <summary>A checklist step was decided. Each step instance is published once, in checklist order.</summary>
    /// <param name="decided">The step.</param>
    void StepDecided(ChecklistStep decided);

    /// <summary>A diagnose finding was made (in the order found; the report orders them by importance).</summary>
    /// <param name="finding">The finding.</param>
    void FindingMade(Finding finding);

    /// <summary>
    /// The workflow is about to wait for something that may take a while (a router, the checker, STUN, the firewall).
    /// The wait ends with the next <see cref="StepDecided"/>, <see cref="FindingMade"/>, <see cref="Note"/> or <see cref="Waiting"/>.
    /// </summary>
    /// <param name="what">What it waits for.</param>
    void Waiting(Text what);

    /// <summary>A line that is not a checklist step: <c>--keep</c>'s renewals, losses and removals.</summary>
    /// <param name="line">The line.</param>
    void Note(Text line);
}
