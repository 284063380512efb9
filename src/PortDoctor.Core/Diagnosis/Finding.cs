using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Diagnosis;

/// <summary>How much a finding matters.</summary>
public enum Severity
{
    /// <summary>A fact worth showing (addresses, router identity, what listens).</summary>
    Info,

    /// <summary>Not a failure, but worth acting on (a low port, a permanent mapping, no hairpin).</summary>
    Warning,

    /// <summary>Keeps the port from being reachable, or would once the rest is fixed.</summary>
    Fault,
}

/// <summary>One result of a diagnose check: a stable id, its severity, what was found, the fix and the values behind it.</summary>
/// <param name="Id">Stable, language-independent id, e.g. "cgnat", "double-nat", "stale-mapping" (docs/diagnose.md lists them).</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Message">What was found, in plain words.</param>
/// <param name="Fix">What to do about it; null for plain facts.</param>
/// <param name="Evidence">The values behind the finding (addresses, ports, codes).</param>
public sealed record Finding(string Id, Severity Severity, Text Message, Text? Fix, IReadOnlyDictionary<string, string> Evidence);
