using System.Net;

namespace PortDoctor.Core.Mapping;

/// <summary>
/// A mapping that exists (or existed) on a router, with everything needed to renew or delete it later
/// without rediscovering the gateway. This is what the journal stores.
/// </summary>
public sealed record MappingRecord
{
    /// <summary>Which protocol made it (journaled by its wire name, <see cref="MappingMethods"/>).</summary>
    public required MappingMethod Method { get; init; }

    /// <summary>The gateway's LAN address.</summary>
    public required IPAddress Gateway { get; init; }

    /// <summary>TCP or UDP.</summary>
    public required TransportProtocol Protocol { get; init; }

    /// <summary>The external port the router actually granted, 1–65535.</summary>
    public required int ExternalPort { get; init; }

    /// <summary>The internal client the mapping forwards to.</summary>
    public required IPAddress InternalClient { get; init; }

    /// <summary>The internal port the mapping forwards to, 1–65535.</summary>
    public required int InternalPort { get; init; }

    /// <summary>The lease granted; <see cref="TimeSpan.Zero"/> means permanent (no expiry).</summary>
    public required TimeSpan Lease { get; init; }

    /// <summary>UPnP only: the control URL of the WAN*Connection service used.</summary>
    public Uri? ControlUrl { get; init; }

    /// <summary>UPnP only: the service type URN of the WAN*Connection service used.</summary>
    public string? ServiceType { get; init; }

    /// <summary>UPnP only: the device description URL (LOCATION) the service came from.</summary>
    public Uri? DescriptionUrl { get; init; }

    /// <summary>PCP only: the 96-bit mapping nonce (RFC 6887 §11.1) as 24 hex digits, reused for renew/delete.</summary>
    public string? PcpNonce { get; init; }

    /// <summary>The router's external address reported with the mapping, when known.</summary>
    public IPAddress? ExternalAddress { get; init; }
}
