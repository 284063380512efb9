using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Reports;

/// <summary>How one checklist step ended.</summary>
public enum StepStatus
{
    /// <summary>PortDoctor changed something and it worked.</summary>
    Done,

    /// <summary>Nothing needed changing.</summary>
    AlreadyFine,

    /// <summary>Worth knowing; not a failure.</summary>
    Warning,

    /// <summary>The step failed; the message says why and what to do.</summary>
    Failed,

    /// <summary>Not run (the user asked to skip it, or an earlier step made it moot).</summary>
    Skipped,
}

/// <summary>One line of the checklist: a stable id, its status, a sentence for people and the values behind it.</summary>
/// <param name="Id">Stable, language-independent id such as "port", "listener", "gateway", "mapping.tcp", "check.tcp".</param>
/// <param name="Status">How it ended.</param>
/// <param name="Message">One sentence for the user, language-independent until rendered: what was found or done, and for failures the next step.</param>
/// <param name="Evidence">The values behind the message (addresses, ports, error codes), for --json and --verbose.</param>
public sealed record ChecklistStep(string Id, StepStatus Status, Text Message, IReadOnlyDictionary<string, string>? Evidence = null);
