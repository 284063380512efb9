using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Diagnosis;

/// <summary>What <c>portdoctor diagnose</c> found: the one root cause (or none), and every finding.</summary>
/// <param name="Port">The port diagnosed, or null when none was named.</param>
/// <param name="Protocol">"tcp" or "udp".</param>
/// <param name="RootCause">The finding that explains the failure, chosen by <see cref="RootCause.Precedence"/>; null when nothing is wrong.</param>
/// <param name="Verdict">One sentence: the root cause and the next step, or "all fine".</param>
/// <param name="Findings">Every finding, most important first.</param>
/// <param name="ElapsedMs">How long the diagnosis took, in milliseconds.</param>
/// <param name="ExitCode">0 when nothing is wrong and, for a port, an outside check proved it; 1 when a fault was found or
/// nothing proved the port reachable; 3 for an environment problem (no network).</param>
public sealed record DiagnoseReport(int? Port, string Protocol, Finding? RootCause, Text Verdict, IReadOnlyList<Finding> Findings, long ElapsedMs, int ExitCode)
{
    /// <summary>False when nothing wrong was found but nothing outside proved the port reachable either (no checker, the
    /// check could not run, the budget ran out): the verdict then says "not confirmed" and the exit code is 1.</summary>
    public bool Confirmed { get; init; } = true;
}
