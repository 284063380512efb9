namespace PortDoctor.Protocol.Upnp;

/// <summary>The answer of GetStatusInfo (WANIPConnection:1 §2.4.4).</summary>
/// <param name="ConnectionStatus">NewConnectionStatus, e.g. "Connected", "Disconnected"; empty when absent.</param>
/// <param name="LastConnectionError">NewLastConnectionError, e.g. "ERROR_NONE"; empty when absent.</param>
/// <param name="UptimeSeconds">NewUptime in seconds, or null when absent or not a number.</param>
public sealed record UpnpStatusInfo(string ConnectionStatus, string LastConnectionError, long? UptimeSeconds)
{
    /// <summary>True when the status is "Connected", or "Up" as some TR-064 boxes say (letter case ignored).</summary>
    public bool IsConnected =>
        string.Equals(ConnectionStatus, "Connected", StringComparison.OrdinalIgnoreCase)
        || string.Equals(ConnectionStatus, "Up", StringComparison.OrdinalIgnoreCase);
}
