using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace PortDoctor.Protocol.Upnp;

/// <summary>
/// Parses SSDP search responses (UPnP Device Architecture 1.1 §1.3.3). Lenient where routers differ
/// (header case, missing space after the colon, extra spaces: docs/quirks.md#Q-SSDP-HEADERS), strict where the value
/// matters (status 200, an absolute http LOCATION, an ST). Never throws on malformed input.
/// </summary>
public static class SsdpResponseParser
{
    /// <summary>The largest datagram accepted, in bytes. Real replies are a few hundred bytes.</summary>
    public const int MaxDatagramBytes = 8192;

    /// <summary>Parses one datagram.</summary>
    /// <param name="datagram">The UDP payload.</param>
    /// <param name="response">The reply when the result is true.</param>
    /// <param name="error">Why the datagram was rejected when the result is false (for --verbose).</param>
    /// <returns>True when the datagram is a usable 200 search response.</returns>
    public static bool TryRead(ReadOnlySpan<byte> datagram, [NotNullWhen(true)] out SsdpResponse? response, [NotNullWhen(false)] out string? error)
    {
        response = null;
        if (datagram.IsEmpty)
        {
            error = "empty datagram";
            return false;
        }

        if (datagram.Length > MaxDatagramBytes)
        {
            error = $"datagram of {datagram.Length} bytes is larger than the {MaxDatagramBytes}-byte limit for an SSDP reply";
            return false;
        }

        // Latin-1 maps every byte to a char, so decoding cannot fail on binary garbage.
        string text = Encoding.Latin1.GetString(datagram);
        string[] lines = text.Split('\n');
        string statusLine = lines[0].TrimEnd('\r').Trim();
        if (!TryReadStatus(statusLine, out int status, out error))
        {
            return false;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                break;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue; // A line without a name cannot be a header; skip it rather than lose the reply.
            }

            string name = line[..colon].Trim();
            if (name.Length > 0)
            {
                headers.TryAdd(name, line[(colon + 1)..].Trim());
            }
        }

        if (!headers.TryGetValue("LOCATION", out string? locationText) || locationText.Length == 0)
        {
            error = "no LOCATION header (the reply does not say where the device description is)";
            return false;
        }

        if (!Uri.TryCreate(locationText, UriKind.Absolute, out Uri? location) || location.Scheme != Uri.UriSchemeHttp)
        {
            error = $"LOCATION '{Printable(locationText)}' is not an absolute http:// URL";
            return false;
        }

        if (!headers.TryGetValue("ST", out string? searchTarget) || searchTarget.Length == 0)
        {
            error = "no ST header (the reply does not say which search target it answers)";
            return false;
        }

        headers.TryGetValue("USN", out string? usn);
        headers.TryGetValue("SERVER", out string? server);
        response = new SsdpResponse(status, location, searchTarget, NullIfEmpty(usn), NullIfEmpty(server), headers);
        error = null;
        return true;
    }

    private static bool TryReadStatus(string statusLine, out int status, [NotNullWhen(false)] out string? error)
    {
        status = 0;
        if (!statusLine.StartsWith("HTTP/1.", StringComparison.OrdinalIgnoreCase))
        {
            string verb = statusLine.Split(' ', 2)[0];
            error = verb is "NOTIFY" or "M-SEARCH"
                ? $"a {verb} message, not a search response"
                : $"status line '{Printable(statusLine)}' is not HTTP/1.x";
            return false;
        }

        string[] parts = statusLine.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out status))
        {
            error = $"status line '{Printable(statusLine)}' has no status code";
            return false;
        }

        if (status != 200)
        {
            error = $"status {status} (only 200 OK answers a search)";
            return false;
        }

        error = null;
        return true;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    // Hostile input ends up in --verbose output: keep it short and free of control characters.
    internal static string Printable(string value)
    {
        var sb = new StringBuilder(Math.Min(value.Length, 120));
        foreach (char c in value.AsSpan(0, Math.Min(value.Length, 120)))
        {
            sb.Append(char.IsControl(c) ? '?' : c);
        }

        return value.Length > 120 ? sb.Append('…').ToString() : sb.ToString();
    }
}
