using PortDoctor.Core.Net;

namespace PortDoctor.Core.Mapping;

/// <summary>What probing the gateways found: the mappers that answered, best first, and notes for --verbose.</summary>
/// <param name="Mappers">One mapper per protocol that answered, in order of preference.</param>
/// <param name="Notes">Why replies were ignored or what did not answer (for --verbose and diagnosis).</param>
/// <param name="Elapsed">How long the probe took.</param>
public sealed record GatewayProbeResult(IReadOnlyList<IPortMapper> Mappers, IReadOnlyList<string> Notes, TimeSpan Elapsed);

/// <summary>Finds which port-mapping protocols the gateways speak.</summary>
public interface IGatewayProbe
{
    /// <summary>Probes every gateway at once and returns as soon as the answer is known or the budget ends.</summary>
    /// <param name="gateways">The gateways with this PC's local address toward each.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>What answered; an empty mapper list when nothing did.</returns>
    Task<GatewayProbeResult> ProbeAsync(IReadOnlyList<GatewayInfo> gateways, CancellationToken cancellationToken);
}

/// <summary>Rebuilds a mapper from a journaled mapping, without rediscovery, so close/undo can delete it.</summary>
public interface IMapperFactory
{
    /// <summary>Creates the mapper that can renew or delete <paramref name="record"/>.</summary>
    /// <param name="record">The journaled mapping.</param>
    /// <returns>The mapper, or null when the record's method is unknown to this build.</returns>
    IPortMapper? ForRecord(MappingRecord record);
}
