using System.Globalization;
using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Inputs;

/// <summary>Validates the port number the user names (1–65535, README.md "Commands").</summary>
public static class PortInput
{
    /// <summary>Ports below this are "well-known" (IANA system ports); programs need privileges for them and ISPs often block them.</summary>
    public const int FirstRegisteredPort = 1024;

    /// <summary>Parses and checks a port number.</summary>
    /// <param name="text">The user's text.</param>
    /// <param name="port">The port, 1–65535, when valid.</param>
    /// <param name="error">When invalid: what is wrong and the fix.</param>
    /// <returns>True when <paramref name="text"/> is a port from 1 to 65535.</returns>
    public static bool TryParse(string? text, out int port, out Text? error)
    {
        port = 0;
        if (string.IsNullOrWhiteSpace(text) || !int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            error = Text.Of("Input.PortNotNumber", text);
            return false;
        }

        if (value is < 1 or > 65535)
        {
            error = Text.Of("Input.PortOutOfRange", value, FirstRegisteredPort);
            return false;
        }

        port = value;
        error = null;
        return true;
    }

    /// <summary>A warning for ports below 1024, or null.</summary>
    /// <param name="port">A valid port.</param>
    /// <returns>The warning, or null when the port is in the recommended range.</returns>
    public static Text? RangeWarning(int port) => port < FirstRegisteredPort
        ? Text.Of("Port.BelowRegistered", port, FirstRegisteredPort)
        : null;
}
