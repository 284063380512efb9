using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Reports;

namespace PortDoctor.Core.Progress;

/// <summary>The sink of a run nobody watches (tests, library use): drops everything.</summary>
internal sealed class NullProgressSink : IProgressSink
{
    private NullProgressSink()
    {
    }

    /// <summary>The one instance.</summary>
    public static NullProgressSink Instance { get; } = new();

    /// <inheritdoc />
    public void StepDecided(ChecklistStep decided)
    {
    }

    /// <inheritdoc />
    public void FindingMade(Finding finding)
    {
    }

    /// <inheritdoc />
    public void Waiting(Text what)
    {
    }

    /// <inheritdoc />
    public void Note(Text line)
    {
    }
}
