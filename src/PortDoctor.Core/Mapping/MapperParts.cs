using System.Globalization;
using System.Net;

namespace PortDoctor.Core.Mapping;

/// <summary>What the UPnP, NAT-PMP and PCP mappers do alike with requests and records, whatever the protocol.</summary>
internal static class MapperParts
{
    /// <summary>Throws for a port outside 1–65535, before anything is sent for it.</summary>
    /// <param name="port">The port.</param>
    /// <param name="paramName">The argument it came in.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is outside 1–65535.</exception>
    public static void CheckPort(int port, string paramName)
    {
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(paramName, port.ToString(CultureInfo.InvariantCulture), "A port must be 1–65535.");
        }
    }

    /// <summary>Throws for a request no protocol can send: a port outside 1–65535 or a negative lease.</summary>
    /// <param name="request">The request.</param>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 1–65535 or the lease is negative.</exception>
    public static void CheckRequest(MappingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckPort(request.ExternalPort, nameof(request));
        CheckPort(request.InternalPort, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Lease, TimeSpan.Zero, nameof(request));
    }

    /// <summary>Throws unless <paramref name="record"/> was made by <paramref name="method"/>: a mapper rebuilt from a
    /// journaled record handles only its own protocol's records.</summary>
    /// <param name="record">The journaled record.</param>
    /// <param name="method">The rebuilt mapper's protocol.</param>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="ArgumentException">The record was made by another protocol.</exception>
    public static void CheckMethod(MappingRecord record, MappingMethod method)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Method != method)
        {
            throw new ArgumentException($"A '{record.Method}' record cannot be handled by the {method.DisplayName()} mapper.", nameof(record));
        }
    }

    /// <summary>The mapping as asked, before the router answered: the journal intent, and the record a grant amends
    /// (with the port and lease the router granted).</summary>
    /// <param name="method">The mapper's protocol.</param>
    /// <param name="gateway">The gateway's LAN address.</param>
    /// <param name="request">What is asked.</param>
    /// <returns>The record without protocol-specific revert data.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public static MappingRecord AsAsked(MappingMethod method, IPAddress gateway, MappingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new MappingRecord
        {
            Method = method,
            Gateway = gateway,
            Protocol = request.Protocol,
            ExternalPort = request.ExternalPort,
            InternalClient = request.InternalClient,
            InternalPort = request.InternalPort,
            Lease = request.Lease,
        };
    }
}
