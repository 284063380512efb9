using System.Globalization;
using System.Net;
using System.Text.Json;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Cli.Commands;

/// <summary>
/// The STUN servers diagnose asks: <c>--stun HOST[:PORT]</c> (repeatable), else <c>PORTDOCTOR_STUN</c>
/// (comma-separated), else <c>"stun": ["HOST:PORT", …]</c> in config.json. None by default: PortDoctor
/// sends nothing to third parties unless told to.
/// </summary>
internal static class StunServers
{
    /// <summary>The STUN port when none is given (RFC 8489 §18.6).</summary>
    public const int DefaultPort = 3478;

    public static async Task<IReadOnlyList<IPEndPoint>> ResolveAsync(string[]? flag, CancellationToken cancellationToken)
    {
        IEnumerable<string> names = flag is { Length: > 0 } ? flag : FromEnvironmentOrConfig();
        var result = new List<IPEndPoint>();
        foreach (var name in names.Select(n => n.Trim()).Where(n => n.Length > 0))
        {
            if (!TrySplit(name, out string host, out int port))
            {
                throw new UsageException(Text.Of("Input.BadStun", name));
            }

            if (IPAddress.TryParse(host, out var literal))
            {
                result.Add(new IPEndPoint(literal, port));
                continue;
            }

            try
            {
                var addresses = await Dns.GetHostAddressesAsync(host, System.Net.Sockets.AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false);
                if (addresses.Length > 0)
                {
                    result.Add(new IPEndPoint(addresses[0], port));
                }
            }
            catch (System.Net.Sockets.SocketException)
            {
                // An unresolvable server is reported by its absence from the STUN evidence; others may still answer.
            }
        }

        return result;
    }

    internal static bool TrySplit(string text, out string host, out int port)
    {
        port = DefaultPort;
        host = text;
        if (text.StartsWith('['))
        {
            int end = text.IndexOf(']', StringComparison.Ordinal);
            if (end < 0)
            {
                return false;
            }

            host = text[1..end];
            string rest = text[(end + 1)..];
            return rest.Length == 0 || (rest.StartsWith(':') && int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535);
        }

        int colon = text.LastIndexOf(':');
        if (colon > 0 && text.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            host = text[..colon];
            return int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535 && host.Length > 0;
        }

        return host.Length > 0;
    }

    private static string[] FromEnvironmentOrConfig()
    {
        string? env = Environment.GetEnvironmentVariable("PORTDOCTOR_STUN");
        if (!string.IsNullOrWhiteSpace(env))
        {
            return env.Split(',', StringSplitOptions.RemoveEmptyEntries);
        }

        string? path = CheckerSelection.DefaultConfigFilePath(Environment.GetEnvironmentVariable, OperatingSystem.IsWindows());
        if (path is null || !File.Exists(path))
        {
            return [];
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("stun", out var stun) && stun.ValueKind == JsonValueKind.Array
                ? stun.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
                : [];
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            // CheckerSelection reports a broken config file; STUN simply stays unconfigured.
            return [];
        }
    }
}
