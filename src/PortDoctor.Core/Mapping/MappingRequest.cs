using System.Net;

namespace PortDoctor.Core.Mapping;

/// <summary>What the caller wants forwarded: external port on the router to internal client:port.</summary>
/// <param name="Protocol">TCP or UDP.</param>
/// <param name="ExternalPort">The port on the router's external (WAN) side, 1–65535.</param>
/// <param name="InternalClient">This PC's LAN address as seen by the router (the local address of the
/// socket that talks to the router; secure-mode routers refuse any other, see docs/quirks.md#Q-UPNP-INTERNAL-CLIENT).</param>
/// <param name="InternalPort">The port on this PC, 1–65535.</param>
/// <param name="Lease">Requested lease; <see cref="TimeSpan.Zero"/> asks for a permanent mapping.
/// Whole seconds are used; UPnP IGD:2 caps finite leases at 604800 s.</param>
/// <param name="Description">A short label stored on the router (NewPortMappingDescription).</param>
public sealed record MappingRequest(
    TransportProtocol Protocol,
    int ExternalPort,
    IPAddress InternalClient,
    int InternalPort,
    TimeSpan Lease,
    string Description);
