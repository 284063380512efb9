using System.Globalization;

namespace PortDoctor.Core.Inputs;

/// <summary>Validates the port number the user names (PRODUCT.md R1).</summary>
public static class PortInput
{
    /// <summary>Ports below this are "well-known" (IANA system ports); programs need privileges for them and ISPs often block them.</summary>
    public const int FirstRegisteredPort = 1024;

    /// <summary>Parses and checks a port number.</summary>
    /// <param name="text">The user's text.</param>
    /// <param name="port">The port, 1–65535, when valid.</param>
    /// <param name="error">When invalid: what is wrong and the fix.</param>
    /// <returns>True when <paramref name="text"/> is a port from 1 to 65535.</returns>
    public static bool TryParse(string? text, out int port, out string? error)
    {
        port = 0;
        if (string.IsNullOrWhiteSpace(text) || !int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            error = $"'{text}' is not a port number. Give a whole number from 1 to 65535, for example 8080.";
            return false;
        }

        if (value is < 1 or > 65535)
        {
            error = $"Port {value} does not exist: ports run from 1 to 65535 (0 is reserved). Pick one from {FirstRegisteredPort} to 65535, for example 8080.";
            return false;
        }

        port = value;
        error = null;
        return true;
    }

    /// <summary>A warning for ports below 1024, or null.</summary>
    /// <param name="port">A valid port.</param>
    /// <returns>The warning text, or null when the port is in the recommended range.</returns>
    public static string? RangeWarning(int port) => port < FirstRegisteredPort
        ? $"Port {port} is below {FirstRegisteredPort}: such ports are reserved for system services, need administrator rights to listen on, and are often blocked by ISPs. A port from {FirstRegisteredPort} to 65535 is safer."
        : null;
}
