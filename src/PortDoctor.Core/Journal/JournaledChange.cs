namespace PortDoctor.Core.Journal;

/// <summary>How a journaled change ended: the change as made, or a stable machine reason why it was not made.</summary>
/// <param name="Done">The change as made (its final values); null when it failed.</param>
/// <param name="FailedReason">Why it was not made, as a machine string (a failure kind and code, never prose that
/// anything parses); null when it was made.</param>
internal sealed record ChangeSettlement(JournalChange? Done, string? FailedReason)
{
    /// <summary>The change was made.</summary>
    /// <param name="change">The change as made.</param>
    /// <returns>The settlement.</returns>
    public static ChangeSettlement Made(JournalChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(change, null);
    }

    /// <summary>The change was not made; nothing is held.</summary>
    /// <param name="machineReason">Why, as a stable machine string.</param>
    /// <returns>The settlement.</returns>
    public static ChangeSettlement NotMade(string machineReason)
    {
        ArgumentNullException.ThrowIfNull(machineReason);
        return new(null, machineReason);
    }
}

/// <summary>The result of <see cref="JournaledChange.RunAsync"/>: the journal entry id and what the send returned.</summary>
/// <typeparam name="T">The send's result.</typeparam>
/// <param name="EntryId">The journal id of the change (to mark it reverted later).</param>
/// <param name="Result">What the send returned.</param>
/// <param name="Made">True when the change was journaled as done.</param>
internal sealed record JournaledResult<T>(string EntryId, T Result, bool Made);

/// <summary>
/// Makes one change on a router or firewall the journaled way, the same for every kind of change: the intent is
/// written and flushed to disk first (with everything needed to revert it), then the change is sent, then the
/// outcome is marked done or failed. Dying anywhere in between leaves an intent that <c>close</c>/<c>undo</c> check
/// against the device and remove if it is there. The crash points (<see cref="CrashPoints"/>) mark each step.
/// </summary>
internal static class JournaledChange
{
    /// <summary>Runs the change.</summary>
    /// <typeparam name="T">The send's result.</typeparam>
    /// <param name="journal">The journal.</param>
    /// <param name="intent">The change about to be made, with its revert data.</param>
    /// <param name="send">Makes the change; its exceptions (cancellation included) leave the intent open, since
    /// the change may have been made.</param>
    /// <param name="settle">Says from the result whether the change was made.</param>
    /// <param name="cancellationToken">Passed to <paramref name="send"/>.</param>
    /// <returns>The entry id and the result.</returns>
    /// <exception cref="JournalException">The journal cannot be written (then nothing is sent when it is the intent).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled; the intent stays open.</exception>
    public static async Task<JournaledResult<T>> RunAsync<T>(
        ChangeJournal journal,
        JournalChange intent,
        Func<CancellationToken, Task<T>> send,
        Func<T, ChangeSettlement> settle,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(settle);
        string id = journal.WriteIntent(intent);
        journal.Pass(CrashPoints.BeforeSend);
        T result = await send(cancellationToken).ConfigureAwait(false);
        journal.Pass(CrashPoints.AfterSend);
        ChangeSettlement settlement = settle(result);
        if (settlement.Done is { } done)
        {
            journal.MarkDone(id, done);
            return new JournaledResult<T>(id, result, true);
        }

        journal.MarkFailed(id, intent, settlement.FailedReason ?? string.Empty);
        return new JournaledResult<T>(id, result, false);
    }
}
