using System.Text.Json;
using PortDoctor.Core.Reports;

namespace PortDoctor.Cli.Rendering;

/// <summary>Prints reports as a checklist for people or as JSON for programs.</summary>
internal static class ReportRenderer
{
    public static void Write(TextWriter output, CommandReport report, bool json, bool verbose)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.CommandReport));
            return;
        }

        foreach (var step in report.Steps)
        {
            output.WriteLine($"{Mark(step.Status)} {step.Message}");
            if (verbose && step.Evidence is { Count: > 0 })
            {
                foreach (var (key, value) in step.Evidence)
                {
                    output.WriteLine($"        {key}: {value}");
                }
            }
        }

        output.WriteLine();
        output.WriteLine($"{VerdictLabel(report.Verdict)}: {report.Summary}");
    }

    public static void WriteError(TextWriter output, TextWriter error, string kind, string message, int exitCode, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new ErrorReport(kind, message, exitCode), CliJsonContext.Default.ErrorReport));
        }
        else
        {
            error.WriteLine($"portdoctor: {message}");
        }
    }

    internal static string Mark(StepStatus status) => status switch
    {
        StepStatus.Done => "[done]   ",
        StepStatus.AlreadyFine => "[ok]     ",
        StepStatus.Warning => "[warning]",
        StepStatus.Failed => "[FAILED] ",
        _ => "[skipped]",
    };

    private static string VerdictLabel(Verdict verdict) => verdict switch
    {
        Verdict.Reachable => "REACHABLE",
        Verdict.NotReachable => "NOT REACHABLE",
        Verdict.Unconfirmed => "NOT CONFIRMED",
        Verdict.NoGateway => "NO ROUTER ANSWERED",
        Verdict.MappingFailed => "MAPPING FAILED",
        Verdict.NoNetwork => "NO NETWORK",
        Verdict.Reverted => "DONE",
        Verdict.RevertFailed => "NOT ALL REVERTED",
        _ => verdict.ToString().ToUpperInvariant(),
    };
}
