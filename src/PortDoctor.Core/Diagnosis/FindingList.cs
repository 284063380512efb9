using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Diagnosis;

/// <summary>Collects the findings of one diagnose run, in the order the checks report them, with terse helpers.</summary>
internal sealed class FindingList
{
    public List<Finding> Items { get; } = [];

    public void Add(string id, Severity severity, Text message, Text? fix, params (string Key, string Value)[] evidence) =>
        Items.Add(new Finding(id, severity, message, fix, evidence.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal)));

    public void Info(string id, Text message, params (string Key, string Value)[] evidence) => Add(id, Severity.Info, message, null, evidence);

    public void Warning(string id, Text message, Text? fix, params (string Key, string Value)[] evidence) => Add(id, Severity.Warning, message, fix, evidence);

    public void Fault(string id, Text message, Text fix, params (string Key, string Value)[] evidence) => Add(id, Severity.Fault, message, fix, evidence);
}
