using System.Collections;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Reports;

namespace PortDoctor.Core.Progress;

/// <summary>
/// A workflow's checklist that publishes each step to an <see cref="IProgressSink"/> the moment it is added, so the
/// workflow code stays "add the step" while people see it at once.
/// </summary>
internal sealed class StepRecorder : IReadOnlyList<ChecklistStep>
{
    private readonly List<ChecklistStep> _steps = [];

    /// <summary>Creates an empty checklist.</summary>
    /// <param name="sink">Where each added step goes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sink"/> is null.</exception>
    public StepRecorder(IProgressSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Sink = sink;
    }

    /// <summary>The sink steps are published to.</summary>
    public IProgressSink Sink { get; }

    /// <inheritdoc />
    public int Count => _steps.Count;

    /// <inheritdoc />
    public ChecklistStep this[int index] => _steps[index];

    /// <summary>Appends a step and publishes it.</summary>
    /// <param name="step">The step.</param>
    /// <exception cref="ArgumentNullException"><paramref name="step"/> is null.</exception>
    public void Add(ChecklistStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _steps.Add(step);
        Sink.StepDecided(step);
    }

    /// <summary>
    /// Appends steps in order. Steps of another recorder on the same sink were published when they were added there
    /// (the outside check's, for example) and are not published again.
    /// </summary>
    /// <param name="steps">The steps.</param>
    /// <exception cref="ArgumentNullException"><paramref name="steps"/> is null.</exception>
    public void AddRange(IEnumerable<ChecklistStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps is StepRecorder other && ReferenceEquals(other.Sink, Sink))
        {
            _steps.AddRange(other._steps);
            return;
        }

        foreach (var step in steps.ToList())
        {
            Add(step);
        }
    }

    /// <summary>Announces a slow wait (see <see cref="IProgressSink.Waiting"/>).</summary>
    /// <param name="what">What the workflow waits for.</param>
    public void Waiting(Text what) => Sink.Waiting(what);

    /// <summary>A copy of the steps so far, for a report that must not change afterwards.</summary>
    /// <returns>The steps.</returns>
    public IReadOnlyList<ChecklistStep> ToList() => _steps.ToArray();

    /// <inheritdoc />
    public IEnumerator<ChecklistStep> GetEnumerator() => _steps.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
