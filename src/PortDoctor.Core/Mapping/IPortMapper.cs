using System.Net;
using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Mapping;

/// <summary>
/// One way of asking a gateway to forward a port (UPnP IGD, NAT-PMP or PCP), already bound to a discovered gateway.
/// Workflows drive it without knowing which protocol it is: the mapper prepares its own journal intent (with the data
/// needed to revert it), maps, renews, answers "is it still held", deletes, and says itself what it will not do.
/// Implementations do their own retries within the caller's token; failures come back as data.
/// </summary>
public interface IPortMapper
{
    /// <summary>The protocol; stored in <see cref="MappingRecord.Method"/>.</summary>
    MappingMethod Method { get; }

    /// <summary>A short description of the gateway for the user (for UPnP: manufacturer, model, friendly name, verbatim).</summary>
    Text GatewayDescription { get; }

    /// <summary>Asks the router for its external (WAN) address.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The address, or null when the router does not know or answered something unusable
    /// (empty, 0.0.0.0, garbage).</returns>
    Task<IPAddress?> GetExternalAddressAsync(CancellationToken cancellationToken);

    /// <summary>Says, before anything is sent, whether this mapper declines <paramref name="request"/>.</summary>
    /// <param name="request">The request.</param>
    /// <returns>Why it declines (e.g. <see cref="LowPortFailure"/>), or null when it may be asked.</returns>
    MappingFailure? Declines(MappingRequest request);

    /// <summary>
    /// Prepares a request: the intent to journal before anything is sent, carrying everything needed to delete the
    /// mapping without rediscovery should the process die after sending (UPnP control URL and service type, the PCP
    /// nonce this mapper draws now). Sends nothing.
    /// </summary>
    /// <param name="request">What to map.</param>
    /// <param name="replacing">The mapping this one re-creates (the router lost it), whose revert data is reused
    /// (PCP: its nonce); null for a new mapping.</param>
    /// <returns>The prepared request.</returns>
    PreparedMapping Prepare(MappingRequest request, MappingRecord? replacing = null);

    /// <summary>Sends a prepared request, reads the mapping back where the protocol can, and returns it.</summary>
    /// <param name="prepared">From <see cref="Prepare"/> on this mapper.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The outcome; its record carries the same revert data as the intent.</returns>
    Task<MappingOutcome> MapAsync(PreparedMapping prepared, CancellationToken cancellationToken);

    /// <summary>Extends the lease of a mapping this mapper's protocol made (PCP: with its nonce). Nothing is journaled:
    /// a renewal changes no revert data.</summary>
    /// <param name="record">The mapping being renewed.</param>
    /// <param name="request">What to ask (the same ports and client; the lease to ask for).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The outcome with the renewed record.</returns>
    Task<MappingOutcome> RenewAsync(MappingRecord record, MappingRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the router whether it still holds <paramref name="record"/>: NAT-PMP/PCP by an epoch that went back since
    /// the previous question (RFC 6886 §3.6, RFC 6887 §8.5), UPnP by looking the mapping up. The first question for a
    /// record sets the baseline.
    /// </summary>
    /// <param name="record">The mapping.</param>
    /// <param name="budget">How long the question may take.</param>
    /// <param name="cancellationToken">Cancels the question.</param>
    /// <returns>Held, lost, or no answer (with why).</returns>
    Task<PresenceCheck> CheckPresenceAsync(MappingRecord record, TimeSpan budget, CancellationToken cancellationToken);

    /// <summary>Deletes a mapping made earlier. A mapping that is already gone counts as success.</summary>
    /// <param name="record">The mapping, as journaled.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The outcome; <see cref="MappingOutcome.Record"/> is the record that was removed.</returns>
    Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken);

    /// <summary>Looks up the mapping the router holds for <paramref name="externalPort"/> (any internal client), where the
    /// protocol can (UPnP); NAT-PMP and PCP cannot and return null without sending.</summary>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="externalPort">The external port, 1–65535.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The existing mapping for that port, or null when there is none (or the protocol cannot tell).</returns>
    Task<MappingRecord?> FindMappingAsync(TransportProtocol protocol, int externalPort, CancellationToken cancellationToken);

    /// <summary>True when <see cref="FindMappingAsync"/> can see the router's table (mappings of other hosts too).</summary>
    bool CanListMappings { get; }

    /// <summary>What to try at once on the same gateway after <paramref name="failed"/> (PCP answered with NAT-PMP
    /// "unsupported version": NAT-PMP on the same gateway, RFC 6887 §9); null when nothing.</summary>
    /// <param name="failed">An outcome of this mapper.</param>
    /// <returns>The mapper to try next, or null.</returns>
    IPortMapper? FallbackAfter(MappingOutcome failed);
}

/// <summary>A request made ready to send: the request and the journal intent (the record as it will be if granted).</summary>
/// <param name="Request">What to map.</param>
/// <param name="Intent">The mapping as asked, with the revert data (control URL, service type, PCP nonce).</param>
public sealed record PreparedMapping(MappingRequest Request, MappingRecord Intent);

/// <summary>What the router said about a mapping it should hold.</summary>
public enum MappingPresence
{
    /// <summary>The router still holds it.</summary>
    Held,

    /// <summary>The router lost it (it restarted, or no longer lists it).</summary>
    Lost,

    /// <summary>The router did not answer.</summary>
    NoAnswer,
}

/// <summary>The answer of <see cref="IPortMapper.CheckPresenceAsync"/>.</summary>
/// <param name="Presence">Held, lost or no answer.</param>
/// <param name="Why">For <see cref="MappingPresence.NoAnswer"/>: why; null otherwise.</param>
public sealed record PresenceCheck(MappingPresence Presence, MappingFailure? Why = null)
{
    /// <summary>The router holds it.</summary>
    public static readonly PresenceCheck Held = new(MappingPresence.Held);

    /// <summary>The router lost it.</summary>
    public static readonly PresenceCheck Lost = new(MappingPresence.Lost);
}
