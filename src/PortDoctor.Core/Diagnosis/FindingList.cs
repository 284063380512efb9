using PortDoctor.Core.Localization;
using PortDoctor.Core.Progress;

namespace PortDoctor.Core.Diagnosis;

/// <summary>
/// Collects the findings of one diagnose run, in the order the checks report them, with terse helpers; each finding
/// is published to the progress sink the moment it is made, so the CLI can print it at once.
/// </summary>
internal sealed class FindingList(IProgressSink? progress = null)
{
    private readonly IProgressSink _progress = progress ?? NullProgressSink.Instance;

    public List<Finding> Items { get; } = [];

    public void Add(string id, Severity severity, Text message, Text? fix, params (string Key, string Value)[] evidence)
    {
        var finding = new Finding(id, severity, message, fix, evidence.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal));
        Items.Add(finding);
        _progress.FindingMade(finding);
    }

    public void Info(string id, Text message, params (string Key, string Value)[] evidence) => Add(id, Severity.Info, message, null, evidence);

    public void Warning(string id, Text message, Text? fix, params (string Key, string Value)[] evidence) => Add(id, Severity.Warning, message, fix, evidence);

    public void Fault(string id, Text message, Text fix, params (string Key, string Value)[] evidence) => Add(id, Severity.Fault, message, fix, evidence);
}
