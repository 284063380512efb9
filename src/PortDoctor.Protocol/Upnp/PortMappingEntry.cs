namespace PortDoctor.Protocol.Upnp;

/// <summary>
/// One port mapping in the terms of WANIPConnection (IGD:1 WANIPConnection:1 §2.2.15–2.2.24): the arguments
/// of AddPortMapping and the answer of Get*PortMappingEntry.
/// </summary>
/// <param name="RemoteHost">NewRemoteHost: empty for any remote host (the only value PortDoctor uses).</param>
/// <param name="ExternalPort">NewExternalPort, 1–65535.</param>
/// <param name="Protocol">NewProtocol: "TCP" or "UDP" (always upper-case on the wire: docs/quirks.md#Q-UPNP-PROTOCOL-CASE).</param>
/// <param name="InternalPort">NewInternalPort, 1–65535.</param>
/// <param name="InternalClient">NewInternalClient: the LAN host the mapping forwards to, as text.</param>
/// <param name="Enabled">NewEnabled.</param>
/// <param name="Description">NewPortMappingDescription.</param>
/// <param name="LeaseSeconds">NewLeaseDuration in seconds; 0 = permanent. IGD:2 allows at most 604800.</param>
public sealed record PortMappingEntry(
    string RemoteHost,
    int ExternalPort,
    string Protocol,
    int InternalPort,
    string InternalClient,
    bool Enabled,
    string Description,
    uint LeaseSeconds);
