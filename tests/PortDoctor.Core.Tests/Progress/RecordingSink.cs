using System.Collections.Concurrent;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Progress;
using PortDoctor.Core.Reports;

namespace PortDoctor.Core.Tests.Progress;

/// <summary>Keeps every progress event in the order it came, as "step:ID", "finding:ID", "wait:KEY" or "note:KEY".</summary>
internal sealed class RecordingSink : IProgressSink
{
    public ConcurrentQueue<(string Event, object Item)> Events { get; } = new();

    public IReadOnlyList<string> Names => Events.Select(e => e.Event).ToList();

    public IReadOnlyList<ChecklistStep> Steps => Events.Select(e => e.Item).OfType<ChecklistStep>().ToList();

    public void StepDecided(ChecklistStep decided) => Events.Enqueue(("step:" + decided.Id, decided));

    public void FindingMade(Finding finding) => Events.Enqueue(("finding:" + finding.Id, finding));

    public void Waiting(Text what) => Events.Enqueue(("wait:" + what.Key, what));

    public void Note(Text line) => Events.Enqueue(("note:" + line.Key, line));
}
