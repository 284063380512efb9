using System.Text.Json;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Reports;

namespace PortDoctor.Cli.Rendering;

/// <summary>Prints reports as a checklist for people (in the chosen language) or as JSON for programs.</summary>
internal static class ReportRenderer
{
    /// <summary>How open, check, close and undo reports are printed and what they exit with.</summary>
    public static readonly ReportFormat<CommandReport> Format = new(
        r => r.ExitCode,
        (o, r, shown, globals) => Write(o, r, json: false, globals.Verbose, globals.Language, shown),
        ToJson);

    /// <summary>
    /// Prints a report: the steps not yet <paramref name="shown"/> while the command ran, then the verdict. With
    /// every step printed live, the output is byte for byte what printing the whole report at the end gave.
    /// </summary>
    public static void Write(TextWriter output, CommandReport report, bool json, bool verbose, UiLanguage language, Func<object, bool>? shown = null)
    {
        if (json)
        {
            output.WriteLine(ToJson(report));
            return;
        }

        foreach (var step in report.Steps)
        {
            if (shown is null || !shown(step))
            {
                WriteStep(output, step, verbose, language);
            }
        }

        output.WriteLine();
        output.WriteLine(Localizer.Format(Text.Of("Render.VerdictLine", Text.Of("Render.Verdict." + report.Verdict), Localizer.Format(report.Summary, language).TrimEnd()), language));
    }

    /// <summary>One checklist line, and with --verbose the values behind it.</summary>
    public static void WriteStep(TextWriter output, ChecklistStep step, bool verbose, UiLanguage language)
    {
        output.WriteLine($"{Mark(step.Status, language)} {Localizer.Format(step.Message, language).TrimEnd()}");
        if (verbose && step.Evidence is { Count: > 0 })
        {
            foreach (var (key, value) in step.Evidence)
            {
                output.WriteLine($"          {key}: {value}");
            }
        }
    }

    public static string ToJson(CommandReport report) =>
        JsonSerializer.Serialize(JsonCommandReport.From(report), CliJsonContext.Default.JsonCommandReport);

    public static void WriteError(TextWriter output, TextWriter error, string kind, string message, int exitCode, bool json, UiLanguage language = UiLanguage.English) =>
        WriteError(output, error, new ErrorReport(kind, message, exitCode), json, language);

    public static void WriteError(TextWriter output, TextWriter error, ErrorReport report, bool json, UiLanguage language = UiLanguage.English)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.ErrorReport));
        }
        else
        {
            error.WriteLine(Localizer.Format(Text.Of("Render.Error", report.Message), language));
        }
    }

    internal static string Mark(StepStatus status, UiLanguage language) => Localizer.Get("Render.Mark." + status, language);
}
