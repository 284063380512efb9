using System.Net.Sockets;
using PortDoctor.Core.NatPmp;
using PortDoctor.Core.Net;
using PortDoctor.Core.Pcp;
using PortDoctor.Core.Upnp;

namespace PortDoctor.Core.Mapping;

/// <summary>
/// Rebuilds mappers from journaled records, without discovery, so close/undo/--keep work after a restart: UPnP from
/// the journaled control URL and service type, NAT-PMP and PCP from the gateway and this PC's address (PCP renews and
/// deletes with the journaled nonce, RFC 6887 §11.1, since the server refuses any other).
/// </summary>
public sealed class MapperFactory : IMapperFactory
{
    private readonly HttpClient _http;
    private readonly Func<AddressFamily, IUdpTransport> _transportFactory;
    private readonly PmpClientOptions? _pmpOptions;
    private readonly TimeProvider? _time;

    /// <summary>Creates the factory over its I/O seams.</summary>
    /// <param name="http">The router HTTP client (built on <see cref="UpnpHttp.CreateHandler"/> for real use).</param>
    /// <param name="transportFactory">Creates UDP sockets (<see cref="UdpTransport.Create"/> for real use).</param>
    /// <param name="pmpOptions">NAT-PMP/PCP timing and server port; defaults when null.</param>
    /// <param name="time">Clock for UPnP timeouts; the system clock when null.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    public MapperFactory(HttpClient http, Func<AddressFamily, IUdpTransport> transportFactory, PmpClientOptions? pmpOptions = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(transportFactory);
        _http = http;
        _transportFactory = transportFactory;
        _pmpOptions = pmpOptions;
        _time = time;
    }

    /// <inheritdoc/>
    /// <remarks>Null for a UPnP record without control URL or service type, a NAT-PMP/PCP record that is not IPv4, or a
    /// method this build does not know.</remarks>
    public IPortMapper? ForRecord(MappingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        switch (record.Method)
        {
            case MappingMethod.Upnp when record.ControlUrl is not null && record.ServiceType is not null:
                var client = new UpnpIgdClient(_http, record.ControlUrl, record.ServiceType, _time);
                return new UpnpPortMapper(client, record.Gateway, record.Gateway.ToString(), IsIgd2(record.ServiceType), record.DescriptionUrl);
            case MappingMethod.NatPmp when IsIPv4(record):
                return NatPmpPortMapper.FromRecord(record, _transportFactory, _pmpOptions);
            case MappingMethod.Pcp when IsIPv4(record):
                return PcpPortMapper.FromRecord(record, _transportFactory, _pmpOptions);
            default:
                return null;
        }
    }

    /// <summary>True for the IGD:2 WANIPConnection service (version 2 of the URN), which has AddAnyPortMapping and caps
    /// finite leases at one week; WANPPPConnection exists only in version 1.</summary>
    /// <param name="serviceType">The journaled service type URN.</param>
    /// <returns>True for version 2 or later.</returns>
    public static bool IsIgd2(string serviceType)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        int colon = serviceType.LastIndexOf(':');
        return colon >= 0 && int.TryParse(serviceType.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int version) && version >= 2;
    }

    private static bool IsIPv4(MappingRecord record) =>
        record.Gateway.AddressFamily == AddressFamily.InterNetwork
        && record.InternalClient.AddressFamily == AddressFamily.InterNetwork;
}
