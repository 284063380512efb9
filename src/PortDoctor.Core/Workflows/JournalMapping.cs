using System.Net;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Workflows;

/// <summary>Converts between router mappings and journal changes, and makes a mapping the journaled way.</summary>
internal static class JournalMapping
{
    /// <summary>The journal kind for router mappings.</summary>
    public const string Kind = "mapping";

    /// <summary>
    /// Maps through <see cref="JournaledChange"/>: the mapper prepares the intent (its revert data: UPnP control URL,
    /// the PCP nonce it draws), the intent is made durable, the request is sent, and the outcome is marked done (with the
    /// values granted) or failed (with a machine reason).
    /// </summary>
    /// <param name="journal">The journal.</param>
    /// <param name="mapper">The mapper.</param>
    /// <param name="request">What to map.</param>
    /// <param name="replacing">The mapping being re-created, whose revert data the mapper reuses; null for a new one.</param>
    /// <param name="cancellationToken">Cancels the request; the intent then stays open for close/undo.</param>
    /// <returns>The journal entry id and the outcome.</returns>
    /// <exception cref="JournalException">The journal cannot be written.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static Task<JournaledResult<MappingOutcome>> MapAsync(
        ChangeJournal journal, IPortMapper mapper, MappingRequest request, MappingRecord? replacing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(mapper);
        PreparedMapping prepared = mapper.Prepare(request, replacing);
        return JournaledChange.RunAsync(
            journal,
            FromRecord(prepared.Intent),
            ct => mapper.MapAsync(prepared, ct),
            outcome => outcome.Succeeded ? ChangeSettlement.Made(FromRecord(outcome.Record!)) : ChangeSettlement.NotMade(outcome.MachineReason()),
            cancellationToken);
    }

    /// <summary>The journal change for a mapping (as asked, for an intent, or as the router holds it).</summary>
    /// <param name="record">The mapping.</param>
    /// <returns>The journal change.</returns>
    public static JournalChange FromRecord(MappingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new JournalChange
        {
            Kind = Kind,
            Method = record.Method.ToWireName(),
            Protocol = record.Protocol.ToCli(),
            ExternalPort = record.ExternalPort,
            InternalPort = record.InternalPort,
            InternalClient = record.InternalClient.ToString(),
            Gateway = record.Gateway.ToString(),
            LeaseSeconds = (long)record.Lease.TotalSeconds,
            ControlUrl = record.ControlUrl?.ToString(),
            ServiceType = record.ServiceType,
            DescriptionUrl = record.DescriptionUrl?.ToString(),
            PcpNonce = record.PcpNonce,
        };
    }

    /// <summary>Rebuilds the mapping from a journal change.</summary>
    /// <param name="change">The change.</param>
    /// <param name="record">The mapping, when the change holds enough to rebuild it.</param>
    /// <param name="error">Why it could not be rebuilt, as a clause for the checklist's "cannot rebuild" line.</param>
    /// <returns>True on success; false also for a method this build does not know (check <see cref="MappingMethods.TryParse"/> first to tell).</returns>
    public static bool TryToRecord(JournalChange change, out MappingRecord? record, out Text? error)
    {
        ArgumentNullException.ThrowIfNull(change);
        record = null;
        if (change.Kind != Kind)
        {
            error = Text.Of("Journal.NotAMapping", change.Kind);
            return false;
        }

        if (!MappingMethods.TryParse(change.Method, out MappingMethod method))
        {
            error = Text.Of("Journal.UnknownMethod", change.Method);
            return false;
        }

        if (!TransportProtocolNames.TryParse(change.Protocol, out var protocol)
            || !IPAddress.TryParse(change.Gateway, out var gateway)
            || !IPAddress.TryParse(change.InternalClient, out var client))
        {
            error = Text.Of("Journal.RecordIncomplete", change.ExternalPort);
            return false;
        }

        record = new MappingRecord
        {
            Method = method,
            Gateway = gateway,
            Protocol = protocol,
            ExternalPort = change.ExternalPort,
            InternalClient = client,
            InternalPort = change.InternalPort == 0 ? change.ExternalPort : change.InternalPort,
            Lease = TimeSpan.FromSeconds(change.LeaseSeconds),
            ControlUrl = Uri.TryCreate(change.ControlUrl, UriKind.Absolute, out var control) ? control : null,
            ServiceType = change.ServiceType,
            DescriptionUrl = Uri.TryCreate(change.DescriptionUrl, UriKind.Absolute, out var desc) ? desc : null,
            PcpNonce = change.PcpNonce,
        };
        error = null;
        return true;
    }
}
