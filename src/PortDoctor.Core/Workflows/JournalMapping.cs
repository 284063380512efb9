using System.Globalization;
using System.Net;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Workflows;

/// <summary>Converts between router mappings and journal changes.</summary>
public static class JournalMapping
{
    /// <summary>The journal kind for router mappings.</summary>
    public const string Kind = "mapping";

    /// <summary>The intent written before a mapping request is sent.</summary>
    /// <param name="method">"upnp", "natpmp" or "pcp".</param>
    /// <param name="gateway">The gateway's address.</param>
    /// <param name="request">The request.</param>
    /// <param name="controlUrl">UPnP control URL, when the method is UPnP.</param>
    /// <param name="serviceType">UPnP service type.</param>
    /// <returns>The journal change.</returns>
    public static JournalChange Intent(string method, IPAddress gateway, MappingRequest request, Uri? controlUrl = null, string? serviceType = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new JournalChange
        {
            Kind = Kind,
            Method = method,
            Protocol = request.Protocol.ToCli(),
            ExternalPort = request.ExternalPort,
            InternalPort = request.InternalPort,
            InternalClient = request.InternalClient.ToString(),
            Gateway = gateway.ToString(),
            LeaseSeconds = (long)request.Lease.TotalSeconds,
            ControlUrl = controlUrl?.ToString(),
            ServiceType = serviceType,
        };
    }

    /// <summary>The journal change for a mapping the router holds.</summary>
    /// <param name="record">The mapping.</param>
    /// <returns>The journal change.</returns>
    public static JournalChange FromRecord(MappingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new JournalChange
        {
            Kind = Kind,
            Method = record.Method,
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
    /// <param name="error">Why it could not be rebuilt.</param>
    /// <returns>True on success.</returns>
    public static bool TryToRecord(JournalChange change, out MappingRecord? record, out string? error)
    {
        ArgumentNullException.ThrowIfNull(change);
        record = null;
        if (change.Kind != Kind)
        {
            error = $"not a router mapping ({change.Kind})";
            return false;
        }

        if (!TransportProtocolNames.TryParse(change.Protocol, out var protocol)
            || !IPAddress.TryParse(change.Gateway, out var gateway)
            || !IPAddress.TryParse(change.InternalClient, out var client))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"journal record for port {change.ExternalPort} lacks protocol, gateway or internal client");
            return false;
        }

        record = new MappingRecord
        {
            Method = change.Method,
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
