using PortDoctor.Core.Journal;
using PortDoctor.Core.Reports;

namespace PortDoctor.Core.Workflows;

/// <summary>What PortDoctor holds according to the journal: for <c>status</c>, and for a run that was interrupted.</summary>
public static class HeldChanges
{
    /// <summary>The outstanding changes, oldest first: made ("held") or sent with the outcome unknown ("pending").</summary>
    /// <param name="journal">The journal.</param>
    /// <returns>The changes.</returns>
    /// <exception cref="JournalException">The journal cannot be read.</exception>
    public static IReadOnlyList<HeldChange> Read(ChangeJournal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return journal.Outstanding()
            .Select(e => new HeldChange(e.Id, e.Op == JournalOp.Done ? "held" : "pending", e.Change.Kind, e.Change.Method, e.Change.Protocol,
                e.Change.ExternalPort, e.Change.InternalClient, e.Change.InternalPort, e.Change.LeaseSeconds, e.At))
            .ToList();
    }
}
