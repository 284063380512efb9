using PortDoctor.Core.Mapping;
using PortDoctor.Protocol.NatPmp;
using PortDoctor.Protocol.Pcp;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Localization;

/// <summary>
/// Turns mapping facts (<see cref="MappingFailure"/>, <see cref="MappingNote"/>) into <see cref="Text"/>s, so that each
/// language renders them in its own words. Failures and notes are clauses (no final punctuation) to be placed inside
/// a sentence; <see cref="NotesSentence"/> makes a sentence of notes.
/// </summary>
internal static class MappingTexts
{
    /// <summary>Why a request failed, as a clause.</summary>
    /// <param name="failure">The failure.</param>
    /// <returns>The clause.</returns>
    public static Text Reason(MappingFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure switch
        {
            NoAnswerFailure f => Text.Of("MappingFailure.NoAnswer", f.Target, f.ElapsedMs),
            PortUnreachableFailure f => Text.Of("MappingFailure.PortUnreachable", f.Target),
            CannotSendFailure f => Text.Of("MappingFailure.CannotSend", f.Target),
            ControlUrlUnreachableFailure f => Text.Of("MappingFailure.ControlUrlUnreachable", f.ControlUrl),
            PcpRefusedFailure f => Refused(MappingMethod.Pcp, f.Operation, (int)f.Result, PcpMeaning(f.Result)),
            NatPmpRefusedFailure f => Refused(MappingMethod.NatPmp, f.Operation, (int)f.Result, NatPmpMeaning(f.Result)),
            UpnpFaultFailure f => Refused(MappingMethod.Upnp, f.Operation, f.FaultCode, UpnpMeaning(f.Error)),
            UnusableAnswerFailure f => Text.Of("MappingFailure.UnusableAnswer", Operation(f.Operation)),
            NatPmpOnlyFailure => Text.Of("MappingFailure.NatPmpOnly"),
            LowPortFailure f => Text.Of("MappingFailure.LowPort", f.Method.DisplayName(), f.LowestPort),
            NoExternalPortFailure => Text.Of("MappingFailure.NoExternalPort"),
            ZeroLifetimeFailure => Text.Of("MappingFailure.ZeroLifetime"),
            AnswerForOtherPortFailure f => Text.Of("MappingFailure.AnswerForOtherPort", f.AnsweredPort, f.AskedPort),
            NoNonceFailure f => Text.Of("MappingFailure.NoNonce", f.LeaseSeconds),
            OtherClientFailure f => Text.Of("MappingFailure.OtherClient", f.Owner, f.Asker),
            ConflictWithoutHolderFailure f => Text.Of("MappingFailure.ConflictWithoutHolder", f.InternalClient),
            HeldByOtherHostFailure f => Text.Of("MappingFailure.HeldByOtherHost", f.Holder, f.HolderPort, Description(f.Description)),
            ReadBackMissingFailure => Text.Of("MappingFailure.ReadBackMissing"),
            ReadBackDiffersFailure f => Text.Of("MappingFailure.ReadBackDiffers", f.AskedClient, f.AskedPort, f.AskedLeaseSeconds, f.HeldClient, f.HeldPort, f.HeldLeaseSeconds),
            _ => Text.Of("MappingFailure.Other", failure.MachineName()),
        };
    }

    /// <summary>One note, as a clause.</summary>
    /// <param name="note">The note.</param>
    /// <returns>The clause.</returns>
    public static Text Note(MappingNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return note switch
        {
            PermanentAskedAsFiniteNote n => Text.Of("MappingNote.PermanentAskedAsFinite", n.Seconds),
            ExternalPortChangedNote n => Text.Of("MappingNote.ExternalPortChanged", n.Granted, n.Asked),
            ShorterLeaseNote n => Text.Of("MappingNote.ShorterLease", n.GrantedSeconds, n.AskedSeconds),
            LeaseCappedNote n => Text.Of("MappingNote.LeaseCapped", n.Seconds),
            LeaseRetriedNote n when n.Error == UpnpErrorCode.OnlyPermanentLeasesSupported => Text.Of("MappingNote.OnlyPermanentRetried", Code(n.FaultCode)),
            LeaseRetriedNote n => Text.Of("MappingNote.LeaseRetried", Code(n.FaultCode), n.AskedSeconds, n.RetriedSeconds),
            AlreadyHeldNote => Text.Of("MappingNote.AlreadyHeld"),
            OtherPortGrantedNote n => Text.Of("MappingNote.OtherPortGranted", n.Holder, n.HolderPort, n.Granted),
            OtherPortRefusedNote n => Text.Of("MappingNote.OtherPortRefused", Code(n.FaultCode)),
            ReadBackUnavailableNote n => Text.Of("MappingNote.ReadBackUnavailable", Code(n.FaultCode)),
            MadePermanentNote => Text.Of("MappingNote.MadePermanent"),
            AlreadyGoneNote => Text.Of("MappingNote.AlreadyGone"),
            ForwardsElsewhereNote n => Text.Of("MappingNote.ForwardsElsewhere", n.Holder),
            _ => Text.Of("MappingNote.Other", note.MachineName()),
        };
    }

    /// <summary>The failure of an outcome with the notes gathered before it ("…(earlier: …)"), as a clause.</summary>
    /// <param name="outcome">A failed outcome.</param>
    /// <returns>The clause; for a success, its notes.</returns>
    public static Text Failure(MappingOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Text? notes = NotesClause(outcome.Notes);
        if (outcome.Reason is null)
        {
            return notes ?? Text.Of("Common.Verbatim", string.Empty);
        }

        Text reason = Reason(outcome.Reason);
        return notes is null ? reason : Text.Of("Mapping.Reason.WithEarlier", reason, notes);
    }

    /// <summary>Notes as one sentence ("Note: …."), or null when there are none.</summary>
    /// <param name="notes">The notes.</param>
    /// <returns>The sentence, or null.</returns>
    public static Text? NotesSentence(IReadOnlyList<MappingNote> notes) =>
        NotesClause(notes) is { } clause ? Text.Of("Mapping.Notes", clause) : null;

    /// <summary>Clauses joined in the language's way ("a; b").</summary>
    /// <param name="clauses">The clauses.</param>
    /// <returns>The joined clause, or null when there are none.</returns>
    public static Text? JoinClauses(IEnumerable<Text> clauses)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        Text? joined = null;
        foreach (Text clause in clauses)
        {
            joined = joined is null ? clause : Text.Of("Common.Clauses", joined, clause);
        }

        return joined;
    }

    private static Text? NotesClause(IReadOnlyList<MappingNote> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        return JoinClauses(notes.Select(Note));
    }

    private static Text Refused(MappingMethod method, MappingOperation operation, int? code, Text meaning) =>
        Text.Of("MappingFailure.Refused." + operation, method.DisplayName(), Code(code), meaning);

    private static object Code(int? code) => code is int c ? c : Text.Of("Common.Unknown");

    private static Text Operation(MappingOperation operation) => Text.Of("Mapping.Operation." + operation);

    private static Text Description(string description) =>
        description.Length == 0 ? Text.Of("Common.Verbatim", string.Empty) : Text.Of("Mapping.HolderDescription", description);

    private static Text PcpMeaning(PcpResultCode code) => code switch
    {
        PcpResultCode.NotAuthorized => Text.Of("PcpResult.NotAuthorized"),
        PcpResultCode.CannotProvideExternal => Text.Of("PcpResult.CannotProvideExternal"),
        PcpResultCode.AddressMismatch => Text.Of("PcpResult.AddressMismatch"),
        PcpResultCode.NetworkFailure => Text.Of("Mapping.Meaning.NetworkFailure"),
        PcpResultCode.NoResources or PcpResultCode.UserExceededQuota => Text.Of("PcpResult.NoResources"),
        _ => Text.Of("PcpResult.Other"),
    };

    private static Text NatPmpMeaning(NatPmpResultCode code) => code switch
    {
        NatPmpResultCode.NotAuthorized => Text.Of("NatPmpResult.NotAuthorized"),
        NatPmpResultCode.NetworkFailure => Text.Of("Mapping.Meaning.NetworkFailure"),
        NatPmpResultCode.OutOfResources => Text.Of("NatPmpResult.OutOfResources"),
        NatPmpResultCode.UnsupportedVersion or NatPmpResultCode.UnsupportedOpcode => Text.Of("NatPmpResult.Unsupported"),
        _ => Text.Of("NatPmpResult.Other"),
    };

    private static Text UpnpMeaning(UpnpErrorCode code) => code switch
    {
        UpnpErrorCode.ActionNotAuthorized => Text.Of("UpnpError.NotAuthorized"),
        UpnpErrorCode.ConflictInMappingEntry => Text.Of("UpnpError.Conflict"),
        UpnpErrorCode.OnlyPermanentLeasesSupported => Text.Of("UpnpError.OnlyPermanent"),
        UpnpErrorCode.InvalidArgs => Text.Of("UpnpError.InvalidArgs"),
        UpnpErrorCode.NoSuchEntryInArray or UpnpErrorCode.SpecifiedArrayIndexInvalid => Text.Of("UpnpError.NoSuchEntry"),
        UpnpErrorCode.ActionFailed => Text.Of("UpnpError.ActionFailed"),
        _ => Text.Of("UpnpError.Other"),
    };
}
