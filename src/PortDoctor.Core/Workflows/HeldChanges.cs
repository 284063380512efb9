using PortDoctor.Core.Journal;
using PortDoctor.Core.Reports;

namespace PortDoctor.Core.Workflows;

/// <summary>What PortDoctor holds according to the journal: for <c>status</c>, and for a run that was interrupted.</summary>
public static class HeldChanges
{
    /// <summary>
    /// The outstanding changes, oldest first: made ("held") or sent with the outcome unknown ("pending"). One line per
    /// thing held (<see cref="JournalChange.Target"/>), with the newest values, held since the first of its entries, and
    /// as held when any of them was made.
    /// </summary>
    /// <param name="journal">The journal.</param>
    /// <returns>The changes.</returns>
    /// <exception cref="JournalException">The journal cannot be read.</exception>
    public static IReadOnlyList<HeldChange> Read(ChangeJournal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return journal.Outstanding()
            .GroupBy(e => e.Change.Target())
            .Select(g =>
            {
                var e = g.Last();
                bool made = g.Any(x => x.Op == JournalOp.Done);
                return new HeldChange(e.Id, made ? "held" : "pending", e.Change.Kind, e.Change.Method, e.Change.Protocol,
                    e.Change.ExternalPort, e.Change.InternalClient, e.Change.InternalPort, e.Change.LeaseSeconds, g.First().At);
            })
            .OrderBy(h => h.Since)
            .ToList();
    }
}
