using System.Diagnostics;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Upnp;

namespace PortDoctor.Cli.Composition;

/// <summary>The gateway probe: UPnP IGD discovery (SSDP) for now; NAT-PMP and PCP join it here.</summary>
internal sealed class UpnpGatewayProbe(HttpClient http) : IGatewayProbe
{
    public async Task<GatewayProbeResult> ProbeAsync(IReadOnlyList<GatewayInfo> gateways, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var notes = new List<string>();
        var discoverer = new UpnpDiscoverer(UdpTransport.Create, http);
        var gateway = await discoverer.DiscoverAsync(gateways, notes, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (gateway is null)
        {
            notes.Add($"UPnP: no IGD answered SSDP within {UpnpDiscoverer.DefaultDiscoveryTimeout.TotalSeconds:0} s.");
            return new GatewayProbeResult([], notes, elapsed);
        }

        return new GatewayProbeResult([new UpnpPortMapper(gateway, http)], notes, elapsed);
    }
}

/// <summary>Rebuilds mappers from journal records, without discovery.</summary>
internal sealed class MapperFactory(HttpClient http) : IMapperFactory
{
    public IPortMapper? ForRecord(MappingRecord record)
    {
        if (record.Method == "upnp" && record.ControlUrl is not null && record.ServiceType is not null)
        {
            var client = new UpnpIgdClient(http, record.ControlUrl, record.ServiceType);
            bool igd2 = record.ServiceType.EndsWith(":2", StringComparison.Ordinal);
            return new UpnpPortMapper(client, record.Gateway, record.Gateway.ToString(), igd2, record.DescriptionUrl);
        }

        return null;
    }
}
