using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Reports;

namespace PortDoctor.Cli.Rendering;

/// <summary>A sentence in --json: its resource key, its arguments and its English text. Never depends on --lang.</summary>
/// <param name="Key">The resource key (stable id of the sentence).</param>
/// <param name="Args">The placeholder values; nested sentences are given in English.</param>
/// <param name="Text">The English sentence.</param>
internal sealed record JsonText(string Key, IReadOnlyList<string> Args, string Text)
{
    public static JsonText From(Text text) => new(
        text.Key,
        text.Args.Select(a => a is Text nested ? Localizer.Format(nested, UiLanguage.English) : (string)a).ToArray(),
        Localizer.Format(text, UiLanguage.English));
}

/// <summary>One checklist line in --json.</summary>
internal sealed record JsonStep(string Id, StepStatus Status, JsonText Message, IReadOnlyDictionary<string, string>? Evidence)
{
    public static JsonStep From(ChecklistStep s) => new(s.Id, s.Status, JsonText.From(s.Message), s.Evidence);
}

/// <summary>The --json shape of open, check, close and undo (documented in docs/json.md).</summary>
internal sealed record JsonCommandReport(string Command, int Port, Verdict Verdict, int ExitCode, JsonText Summary, IReadOnlyList<JsonStep> Steps)
{
    public static JsonCommandReport From(CommandReport r) => new(
        r.Command, r.Port, r.Verdict, r.ExitCode, JsonText.From(r.Summary),
        r.Steps.Select(JsonStep.From).ToArray());
}

/// <summary>The --json shape of status.</summary>
internal sealed record JsonStatusReport(string? LanAddress, string? Gateway, string? Interface, IReadOnlyList<JsonRouter> Routers,
    string? PublicAddress, IReadOnlyList<HeldChange> Held, IReadOnlyList<JsonText> Notes, IReadOnlyList<string> ProbeLog)
{
    public static JsonStatusReport From(StatusReport r) => new(r.LanAddress, r.Gateway, r.Interface, r.Routers.Select(JsonRouter.From).ToArray(), r.PublicAddress, r.Held,
        r.Notes.Select(JsonText.From).ToArray(), r.ProbeLog);
}

/// <summary>One router in the --json shape of status; its description in English, as docs/json.md documents.</summary>
internal sealed record JsonRouter(string Method, string Description, string? ExternalAddress)
{
    public static JsonRouter From(RouterStatus r) => new(r.Method, Localizer.Format(r.Description, UiLanguage.English), r.ExternalAddress);
}

/// <summary>One finding in --json (schema: docs/diagnose.schema.json).</summary>
internal sealed record JsonFinding(string Id, Severity Severity, JsonText Message, JsonText? Fix, IReadOnlyDictionary<string, string> Evidence)
{
    public static JsonFinding From(Finding f) => new(f.Id, f.Severity, JsonText.From(f.Message), f.Fix is null ? null : JsonText.From(f.Fix), f.Evidence);
}

/// <summary>The --json shape of diagnose (schema: docs/diagnose.schema.json).</summary>
internal sealed record JsonDiagnoseReport(
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] int? Port,
    string Protocol,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? RootCause,
    JsonText Verdict, int ExitCode, long ElapsedMs, IReadOnlyList<JsonFinding> Findings)
{
    public static JsonDiagnoseReport From(DiagnoseReport r) => new(r.Port, r.Protocol, r.RootCause?.Id, JsonText.From(r.Verdict), r.ExitCode, r.ElapsedMs,
        r.Findings.Select(JsonFinding.From).ToArray());
}
