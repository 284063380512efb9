using PortDoctor.Core.Mapping;
using PortDoctor.Core.NatPmp;
using PortDoctor.Core.Net;
using PortDoctor.Core.Pcp;
using PortDoctor.Core.Upnp;

namespace PortDoctor.Cli.Composition;

/// <summary>Rebuilds mappers from journal records, without discovery, so close/undo/--keep work after a restart.</summary>
internal sealed class MapperFactory(HttpClient http) : IMapperFactory
{
    public IPortMapper? ForRecord(MappingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        switch (record.Method)
        {
            case "upnp" when record.ControlUrl is not null && record.ServiceType is not null:
                var client = new UpnpIgdClient(http, record.ControlUrl, record.ServiceType);
                bool igd2 = record.ServiceType.EndsWith(":2", StringComparison.Ordinal);
                return new UpnpPortMapper(client, record.Gateway, record.Gateway.ToString(), igd2, record.DescriptionUrl);
            case "natpmp" when IsIPv4(record):
                return NatPmpPortMapper.FromRecord(record, UdpTransport.Create);
            case "pcp" when IsIPv4(record):
                // Delete and renew reuse the journaled nonce (RFC 6887 §11.1); the server refuses any other.
                return PcpPortMapper.FromRecord(record, UdpTransport.Create);
            default:
                return null;
        }
    }

    private static bool IsIPv4(MappingRecord record) =>
        record.Gateway.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
        && record.InternalClient.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
}
