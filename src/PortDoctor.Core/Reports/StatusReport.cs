using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Reports;

/// <summary>A router that answered a port-mapping protocol.</summary>
/// <param name="Method">The mapping method's wire name (<see cref="Mapping.MappingMethods"/>).</param>
/// <param name="Description">Manufacturer, model and name as the router reports them (UPnP), or the protocol and its address.</param>
/// <param name="ExternalAddress">The router's external (WAN) address, or null when unknown.</param>
public sealed record RouterStatus(string Method, Text Description, string? ExternalAddress);

/// <summary>A change PortDoctor holds (or whose outcome is unknown) according to the journal.</summary>
/// <param name="Id">The journal id.</param>
/// <param name="State">"held" (made) or "pending" (sent, outcome unknown: PortDoctor stopped in between).</param>
/// <param name="Kind">"mapping" or "firewall".</param>
/// <param name="Method">How it was made.</param>
/// <param name="Protocol">"tcp" or "udp".</param>
/// <param name="ExternalPort">The external port.</param>
/// <param name="InternalClient">Where the mapping forwards to.</param>
/// <param name="InternalPort">The internal port.</param>
/// <param name="LeaseSeconds">The lease in seconds; 0 = permanent.</param>
/// <param name="Since">When the change was made.</param>
public sealed record HeldChange(string Id, string State, string Kind, string Method, string Protocol, int ExternalPort,
    string? InternalClient, int InternalPort, long LeaseSeconds, DateTimeOffset Since);

/// <summary>What <c>portdoctor status</c> prints.</summary>
/// <param name="LanAddress">This PC's LAN address toward the gateway, or null without network.</param>
/// <param name="Gateway">The gateway's address.</param>
/// <param name="Interface">The interface name.</param>
/// <param name="Routers">Every port-mapping protocol that answered.</param>
/// <param name="PublicAddress">The public address the outside checker saw, or null.</param>
/// <param name="Held">Changes in the journal that are not reverted.</param>
/// <param name="Notes">Anything else worth telling (no network, no router answered, checker errors).</param>
/// <param name="ProbeLog">Technical lines from the gateway probe (why replies were ignored), for --verbose.</param>
public sealed record StatusReport(string? LanAddress, string? Gateway, string? Interface, IReadOnlyList<RouterStatus> Routers,
    string? PublicAddress, IReadOnlyList<HeldChange> Held, IReadOnlyList<Text> Notes, IReadOnlyList<string> ProbeLog);
