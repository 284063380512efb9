using System.Text.Json;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Reports;

namespace PortDoctor.Cli.Rendering;

/// <summary>Prints reports as a checklist for people (in the chosen language) or as JSON for programs.</summary>
internal static class ReportRenderer
{
    public static void Write(TextWriter output, CommandReport report, bool json, bool verbose, UiLanguage language)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(JsonCommandReport.From(report), CliJsonContext.Default.JsonCommandReport));
            return;
        }

        foreach (var step in report.Steps)
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

        output.WriteLine();
        output.WriteLine(Localizer.Format(Text.Of("Render.VerdictLine", Text.Of("Render.Verdict." + report.Verdict), Localizer.Format(report.Summary, language).TrimEnd()), language));
    }

    public static void WriteError(TextWriter output, TextWriter error, string kind, string message, int exitCode, bool json, UiLanguage language = UiLanguage.English)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new ErrorReport(kind, message, exitCode), CliJsonContext.Default.ErrorReport));
        }
        else
        {
            error.WriteLine(Localizer.Format(Text.Of("Render.Error", message), language));
        }
    }

    internal static string Mark(StepStatus status, UiLanguage language) => Localizer.Get("Render.Mark." + status, language);
}
