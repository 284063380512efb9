using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PortDoctor.Protocol.Upnp;

/// <summary>Reads typed values out of a successful <see cref="SoapResponse"/>'s out-arguments. Never throws on bad values.</summary>
public static class UpnpArgumentReader
{
    /// <summary>Reads a GetSpecificPortMappingEntry answer (which does not repeat the key it was asked for).</summary>
    /// <param name="arguments">The out-arguments.</param>
    /// <param name="remoteHost">The NewRemoteHost that was asked for.</param>
    /// <param name="externalPort">The external port that was asked for.</param>
    /// <param name="protocol">The protocol that was asked for ("TCP"/"UDP").</param>
    /// <param name="entry">The entry when true.</param>
    /// <param name="error">What was missing or wrong when false.</param>
    /// <returns>True when NewInternalPort and NewInternalClient are present and valid.</returns>
    public static bool TryReadSpecificEntry(IReadOnlyDictionary<string, string> arguments, string remoteHost, int externalPort, string protocol, [NotNullWhen(true)] out PortMappingEntry? entry, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return TryReadEntry(arguments, remoteHost, externalPort, protocol, out entry, out error);
    }

    /// <summary>Reads a GetGenericPortMappingEntry answer (which carries the whole key).</summary>
    /// <param name="arguments">The out-arguments.</param>
    /// <param name="entry">The entry when true.</param>
    /// <param name="error">What was missing or wrong when false.</param>
    /// <returns>True when the port, protocol and client arguments are present and valid.</returns>
    public static bool TryReadGenericEntry(IReadOnlyDictionary<string, string> arguments, [NotNullWhen(true)] out PortMappingEntry? entry, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        entry = null;
        if (!TryPort(arguments, "NewExternalPort", out int externalPort, out error))
        {
            return false;
        }

        string protocol = Get(arguments, "NewProtocol").Trim().ToUpperInvariant();
        if (protocol is not ("TCP" or "UDP"))
        {
            error = $"NewProtocol '{SsdpResponseParser.Printable(protocol)}' is not TCP or UDP";
            return false;
        }

        return TryReadEntry(arguments, Get(arguments, "NewRemoteHost").Trim(), externalPort, protocol, out entry, out error);
    }

    /// <summary>Reads AddAnyPortMapping's NewReservedPort.</summary>
    /// <param name="arguments">The out-arguments.</param>
    /// <param name="port">The port the router granted, 1–65535, when true.</param>
    /// <param name="error">What was wrong when false.</param>
    /// <returns>True when the value is a valid port.</returns>
    public static bool TryReadReservedPort(IReadOnlyDictionary<string, string> arguments, out int port, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return TryPort(arguments, "NewReservedPort", out port, out error);
    }

    /// <summary>Reads a GetStatusInfo answer; absent values become empty/null rather than errors.</summary>
    /// <param name="arguments">The out-arguments.</param>
    /// <returns>The status.</returns>
    public static UpnpStatusInfo ReadStatusInfo(IReadOnlyDictionary<string, string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        long? uptime = long.TryParse(Get(arguments, "NewUptime").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long up) ? up : null;
        return new UpnpStatusInfo(Get(arguments, "NewConnectionStatus").Trim(), Get(arguments, "NewLastConnectionError").Trim(), uptime);
    }

    private static bool TryReadEntry(IReadOnlyDictionary<string, string> arguments, string remoteHost, int externalPort, string protocol, [NotNullWhen(true)] out PortMappingEntry? entry, [NotNullWhen(false)] out string? error)
    {
        entry = null;
        if (!TryPort(arguments, "NewInternalPort", out int internalPort, out error))
        {
            return false;
        }

        string client = Get(arguments, "NewInternalClient").Trim();
        if (client.Length == 0)
        {
            error = "NewInternalClient is missing or empty";
            return false;
        }

        string enabled = Get(arguments, "NewEnabled").Trim();
        // Routers report the remaining lease; a missing or odd value is treated as "not reported" (0).
        uint lease = uint.TryParse(Get(arguments, "NewLeaseDuration").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out uint l) ? l : 0;
        entry = new PortMappingEntry(
            remoteHost,
            externalPort,
            protocol,
            internalPort,
            client,
            enabled.Length == 0 || enabled == "1" || enabled.Equals("true", StringComparison.OrdinalIgnoreCase) || enabled.Equals("yes", StringComparison.OrdinalIgnoreCase),
            Get(arguments, "NewPortMappingDescription"),
            lease);
        return true;
    }

    private static bool TryPort(IReadOnlyDictionary<string, string> arguments, string name, out int port, [NotNullWhen(false)] out string? error)
    {
        string text = Get(arguments, name).Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535)
        {
            error = null;
            return true;
        }

        error = text.Length == 0 ? $"{name} is missing" : $"{name} '{SsdpResponseParser.Printable(text)}' is not a port number 1–65535";
        return false;
    }

    private static string Get(IReadOnlyDictionary<string, string> arguments, string name) =>
        arguments.TryGetValue(name, out string? value) ? value : string.Empty;
}
