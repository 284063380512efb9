using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Reports;

/// <summary>The overall result of <c>open</c> / <c>check</c>.</summary>
public enum Verdict
{
    /// <summary>An outside checker connected to the public address and port.</summary>
    Reachable,

    /// <summary>The outside checker could not connect (closed or filtered).</summary>
    NotReachable,

    /// <summary>The port was mapped but nothing outside confirmed it (no checker named, or <c>--no-check</c>).</summary>
    Unconfirmed,

    /// <summary>No UPnP/NAT-PMP/PCP gateway answered, so nothing could be mapped.</summary>
    NoGateway,

    /// <summary>The router refused or failed the mapping.</summary>
    MappingFailed,

    /// <summary>This PC has no usable network (no IPv4 default gateway).</summary>
    NoNetwork,

    /// <summary>close/undo removed everything it was asked to (or there was nothing to remove).</summary>
    Reverted,

    /// <summary>close/undo could not remove some change; it stays in the journal.</summary>
    RevertFailed,
}

/// <summary>What a command found and did: the checklist in order, the verdict and the exit code it implies.</summary>
/// <param name="Command">"open", "check" or "close".</param>
/// <param name="Port">The port, 1–65535.</param>
/// <param name="Steps">The checklist, in the order the steps ran.</param>
/// <param name="Verdict">The overall result.</param>
/// <param name="Summary">One or two sentences for the user: the verdict and the next step.</param>
/// <param name="ExitCode">The process exit code (README.md, "Exit codes"): 0 success, 1 not reachable/fault, 3 environment problem.</param>
public sealed record CommandReport(string Command, int Port, IReadOnlyList<ChecklistStep> Steps, Verdict Verdict, Text Summary, int ExitCode);
