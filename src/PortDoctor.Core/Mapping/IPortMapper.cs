using System.Net;

namespace PortDoctor.Core.Mapping;

/// <summary>
/// One way of asking a gateway to forward a port (UPnP IGD, NAT-PMP or PCP), already bound to a
/// discovered gateway. Implementations do their own retries within the caller's token.
/// </summary>
public interface IPortMapper
{
    /// <summary>"upnp", "natpmp" or "pcp"; stored in <see cref="MappingRecord.Method"/>.</summary>
    string Method { get; }

    /// <summary>A short description of the gateway for the user (for UPnP: manufacturer, model, friendly name).</summary>
    string GatewayDescription { get; }

    /// <summary>Asks the router for its external (WAN) address.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The address, or null when the router does not know or answered something unusable
    /// (empty, 0.0.0.0, garbage: see shared case c12).</returns>
    Task<IPAddress?> GetExternalAddressAsync(CancellationToken cancellationToken);

    /// <summary>Creates (or refreshes) a mapping and reads it back.</summary>
    /// <param name="request">What to map.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The outcome; failures come back as data, not exceptions.</returns>
    Task<MappingOutcome> MapAsync(MappingRequest request, CancellationToken cancellationToken);

    /// <summary>Deletes a mapping made earlier. A mapping that is already gone counts as success.</summary>
    /// <param name="record">The mapping, as journaled.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The outcome; <see cref="MappingOutcome.Record"/> is the record that was removed.</returns>
    Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken);

    /// <summary>Lists the mappings the router holds for <paramref name="externalPort"/> (any internal client).</summary>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="externalPort">The external port, 1–65535.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The existing mapping for that port, or null when there is none.</returns>
    Task<MappingRecord?> FindMappingAsync(TransportProtocol protocol, int externalPort, CancellationToken cancellationToken);
}
