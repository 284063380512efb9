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

/// <summary>The result of one mapping attempt: the record on success, else a failure kind and message.</summary>
/// <param name="Record">The mapping the router holds now; null on failure.</param>
/// <param name="Failure">Why it failed; <see cref="MappingFailureKind.None"/> on success.</param>
/// <param name="Detail">Human-readable detail for the checklist (error code and text, values that differed).</param>
/// <param name="ConflictHolder">For <see cref="MappingFailureKind.ConflictWithOtherHost"/>: the LAN host holding the port, when the router told.</param>
public sealed record MappingOutcome(MappingRecord? Record, MappingFailureKind Failure, string? Detail, string? ConflictHolder = null)
{
    /// <summary>True when the router holds the requested mapping.</summary>
    public bool Succeeded => Record is not null && Failure == MappingFailureKind.None;

    /// <summary>Builds a success outcome.</summary>
    /// <param name="record">The mapping the router holds.</param>
    /// <param name="detail">Optional note (for example "retried with lease 0 after 725").</param>
    /// <returns>The outcome.</returns>
    public static MappingOutcome Success(MappingRecord record, string? detail = null) => new(record, MappingFailureKind.None, detail);

    /// <summary>Builds a failure outcome.</summary>
    /// <param name="kind">The failure kind; must not be <see cref="MappingFailureKind.None"/>.</param>
    /// <param name="detail">What went wrong, for the user.</param>
    /// <param name="conflictHolder">The LAN host that holds the port, when known.</param>
    /// <returns>The outcome.</returns>
    public static MappingOutcome Fail(MappingFailureKind kind, string detail, string? conflictHolder = null) => new(null, kind, detail, conflictHolder);
}
