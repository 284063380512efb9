using PortDoctor.Cli.Commands;

namespace PortDoctor.Cli.Rendering;

/// <summary>How the runner ends a command with its report: the exit code, the text for people and the --json document.</summary>
/// <typeparam name="TReport">The report type.</typeparam>
/// <param name="ExitCode">The exit code the report implies.</param>
/// <param name="WriteText">Prints the report for people; the predicate tells which steps and findings were already printed while it ran.</param>
/// <param name="ToJson">The one JSON document for --json.</param>
internal sealed record ReportFormat<TReport>(
    Func<TReport, int> ExitCode,
    Action<TextWriter, TReport, Func<object, bool>, Globals> WriteText,
    Func<TReport, string> ToJson);
