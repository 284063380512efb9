using System.Text.Json;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Reports;

namespace PortDoctor.Cli.Rendering;

/// <summary>
/// The end of a run that was interrupted (Ctrl+C, SIGTERM) or stopped by --timeout: the steps were printed as they
/// happened, so what is left to say is what PortDoctor now holds, the exact command that removes it, and the error.
/// Under --json: one error document that carries the steps, findings and held changes instead.
/// </summary>
internal static class InterruptRenderer
{
    /// <summary>Writes the end of an unfinished run.</summary>
    /// <param name="output">stdout.</param>
    /// <param name="error">stderr.</param>
    /// <param name="kind">"interrupted" or "timeout".</param>
    /// <param name="message">The error sentence.</param>
    /// <param name="exitCode">The exit code.</param>
    /// <param name="steps">The checklist steps decided before the stop.</param>
    /// <param name="findings">The diagnose findings made before the stop.</param>
    /// <param name="held">The journal's outstanding changes; null when not to be shown (or unreadable).</param>
    /// <param name="closeCommand">Builds the exact command that removes a port's changes.</param>
    /// <param name="json">--json.</param>
    /// <param name="language">The output language.</param>
    public static void Write(TextWriter output, TextWriter error, string kind, Text message, int exitCode, IReadOnlyList<ChecklistStep> steps, IReadOnlyList<Finding> findings,
        IReadOnlyList<HeldChange>? held, Func<int, string> closeCommand, bool json, UiLanguage language)
    {
        if (json)
        {
            var report = new ErrorReport(kind, Localizer.Format(message, UiLanguage.English), exitCode)
            {
                Steps = steps.Count == 0 ? null : steps.Select(JsonStep.From).ToArray(),
                Findings = findings.Count == 0 ? null : findings.Select(JsonFinding.From).ToArray(),
                Held = held,
            };
            output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.ErrorReport));
            return;
        }

        if (held is not null)
        {
            output.WriteLine();
            StatusRenderer.WriteHeld(output, held, language);
            foreach (int port in held.Select(h => h.ExternalPort).Distinct())
            {
                output.WriteLine(Localizer.Format(Text.Of("Render.Interrupted.Close", closeCommand(port)), language));
            }

            output.Flush();
        }

        error.WriteLine(Localizer.Format(Text.Of("Render.Error", message), language));
        error.Flush();
    }
}
