namespace PortDoctor.Core.Mapping;

/// <summary>Why a mapping attempt failed, in terms the checklist and diagnosis can act on.</summary>
public enum MappingFailureKind
{
    /// <summary>No failure.</summary>
    None,

    /// <summary>The gateway did not answer within the budget.</summary>
    NoAnswer,

    /// <summary>The router refuses this PC (UPnP 606, NAT-PMP/PCP NOT_AUTHORIZED): mapping changes are off in its settings.</summary>
    NotAuthorized,

    /// <summary>The external port is held by another LAN host (UPnP 718, PCP CANNOT_PROVIDE_EXTERNAL).</summary>
    ConflictWithOtherHost,

    /// <summary>The router answered with an error not covered by a more specific kind.</summary>
    RouterError,

    /// <summary>The router said yes but reading the entry back showed different values.</summary>
    ReadBackMismatch,

    /// <summary>The answer could not be parsed.</summary>
    MalformedAnswer,
}

/// <summary>The result of one mapping request: the record on success, else why it failed; notes either way.</summary>
/// <param name="Record">The mapping the router holds now (for a delete: the mapping removed); null on failure.</param>
/// <param name="Reason">Why it failed; null on success.</param>
/// <param name="Notes">What is worth telling (retries, a shorter lease, another port, a mapping already gone), in order.</param>
public sealed record MappingOutcome(MappingRecord? Record, MappingFailure? Reason, IReadOnlyList<MappingNote> Notes)
{
    /// <summary>True when the router holds the requested mapping (or, for a delete, no longer holds it).</summary>
    public bool Succeeded => Record is not null && Reason is null;

    /// <summary>The failure kind; <see cref="MappingFailureKind.None"/> on success.</summary>
    public MappingFailureKind Failure => Reason?.Kind ?? MappingFailureKind.None;

    /// <summary>For a port held by another LAN host: that host, when the router told.</summary>
    public string? ConflictHolder => (Reason as HeldByOtherHostFailure)?.Holder;

    /// <summary>Builds a success outcome.</summary>
    /// <param name="record">The mapping the router holds.</param>
    /// <param name="notes">Notes, in order.</param>
    /// <returns>The outcome.</returns>
    public static MappingOutcome Success(MappingRecord record, params IReadOnlyList<MappingNote> notes)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record, null, notes);
    }

    /// <summary>Builds a failure outcome.</summary>
    /// <param name="reason">Why it failed.</param>
    /// <param name="notes">What happened before it failed (retries), in order.</param>
    /// <returns>The outcome.</returns>
    public static MappingOutcome Fail(MappingFailure reason, params IReadOnlyList<MappingNote> notes)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return new(null, reason, notes);
    }

    /// <summary>The stable machine string for the journal's "failed" line: kind and fact, e.g. "RouterError: pcp-result 8".
    /// It is for people reading the file and for support; nothing parses it.</summary>
    /// <returns>The string; "None" on success.</returns>
    public string MachineReason() => Reason is null ? nameof(MappingFailureKind.None) : Failure + ": " + Reason.MachineName();
}
