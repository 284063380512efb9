using PortDoctor.Core.Net;

namespace PortDoctor.Core.Mapping;

/// <summary>What probing the gateways found: the mappers that answered, best first, and notes for --verbose.</summary>
/// <param name="Mappers">One mapper per protocol that answered, in order of preference.</param>
/// <param name="Notes">Why replies were ignored or what did not answer (for --verbose and diagnosis).</param>
/// <param name="Elapsed">How long the probe took.</param>
public sealed record GatewayProbeResult(IReadOnlyList<IPortMapper> Mappers, IReadOnlyList<string> Notes, TimeSpan Elapsed)
{
    /// <summary>One entry per protocol that answered, in the order of <see cref="Mappers"/>, with the external address
    /// it reported (null when the protocol has none in its answer or it was unusable) and when it answered.</summary>
    public IReadOnlyList<ProtocolAnswer> Answers { get; init; } = [];

    /// <summary>The router's make and model from its UPnP description (manufacturer, model, friendly name) when UPnP
    /// answered; NAT-PMP and PCP carry no such thing. Null otherwise.</summary>
    public string? RouterName { get; init; }
}

/// <summary>One protocol's answer during a probe.</summary>
/// <param name="Mapper">The mapper for that protocol, bound to the gateway that answered.</param>
/// <param name="ExternalAddress">The router's external (WAN) address that protocol reported; null when unknown.</param>
/// <param name="Elapsed">Time from the start of the probe until that protocol's answer was usable.</param>
public sealed record ProtocolAnswer(IPortMapper Mapper, System.Net.IPAddress? ExternalAddress, TimeSpan Elapsed);

/// <summary>Finds which port-mapping protocols the gateways speak.</summary>
public interface IGatewayProbe
{
    /// <summary>Probes every gateway at once and returns as soon as the answer is known or the budget ends.</summary>
    /// <param name="gateways">The gateways with this PC's local address toward each.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>What answered; an empty mapper list when nothing did.</returns>
    Task<GatewayProbeResult> ProbeAsync(IReadOnlyList<GatewayInfo> gateways, CancellationToken cancellationToken);

    /// <summary>
    /// Probes every gateway and waits until each protocol has answered or is known to be absent (within the same
    /// budget), for <c>status</c> and diagnosis, which list everything rather than pick the fastest. The default
    /// implementation is <see cref="ProbeAsync"/>.
    /// </summary>
    /// <param name="gateways">The gateways with this PC's local address toward each.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>Every protocol that answered; an empty mapper list when nothing did.</returns>
    Task<GatewayProbeResult> ProbeAllAsync(IReadOnlyList<GatewayInfo> gateways, CancellationToken cancellationToken) =>
        ProbeAsync(gateways, cancellationToken);
}

/// <summary>Rebuilds a mapper from a journaled mapping, without rediscovery, so close/undo can delete it.</summary>
public interface IMapperFactory
{
    /// <summary>Creates the mapper that can renew or delete <paramref name="record"/>.</summary>
    /// <param name="record">The journaled mapping.</param>
    /// <returns>The mapper, or null when the record's method is unknown to this build.</returns>
    IPortMapper? ForRecord(MappingRecord record);
}
