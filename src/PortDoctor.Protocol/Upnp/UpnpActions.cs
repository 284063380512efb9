namespace PortDoctor.Protocol.Upnp;

/// <summary>The WANIPConnection / WANPPPConnection action names used (IGD:1 WANIPConnection:1 §2.4, IGD:2 WANIPConnection:2 §2.5).</summary>
public static class UpnpActions
{
    /// <summary>Reads the router's external (WAN) IPv4 address.</summary>
    public const string GetExternalIPAddress = "GetExternalIPAddress";

    /// <summary>Reads the WAN connection status and uptime.</summary>
    public const string GetStatusInfo = "GetStatusInfo";

    /// <summary>Creates or overwrites a port mapping.</summary>
    public const string AddPortMapping = "AddPortMapping";

    /// <summary>IGD:2: creates a mapping on the wanted port or, when taken, on another the router picks.</summary>
    public const string AddAnyPortMapping = "AddAnyPortMapping";

    /// <summary>Reads the mapping for one (remote host, external port, protocol).</summary>
    public const string GetSpecificPortMappingEntry = "GetSpecificPortMappingEntry";

    /// <summary>Reads the mapping at an index of the router's table.</summary>
    public const string GetGenericPortMappingEntry = "GetGenericPortMappingEntry";

    /// <summary>Deletes a port mapping.</summary>
    public const string DeletePortMapping = "DeletePortMapping";

    /// <summary>
    /// The only out-argument of an action that has exactly one, or null. A router that writes the value
    /// directly inside the <c>…Response</c> element (docs/quirks.md) is read as if it had used this name.
    /// </summary>
    /// <param name="action">The action name.</param>
    /// <returns>The argument name, or null for actions with none or several out-arguments.</returns>
    public static string? SingleOutArgument(string action) => action switch
    {
        GetExternalIPAddress => "NewExternalIPAddress",
        AddAnyPortMapping => "NewReservedPort",
        _ => null,
    };
}
