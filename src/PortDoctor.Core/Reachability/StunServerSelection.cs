using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Reachability;

/// <summary>The STUN servers to ask, or the setting that is not HOST[:PORT].</summary>
/// <param name="Servers">The resolved servers; a name that did not resolve is left out.</param>
/// <param name="Error">What is wrong with the setting (a usage error), or null.</param>
public sealed record StunServerSelectionResult(IReadOnlyList<IPEndPoint> Servers, Text? Error);

/// <summary>
/// The STUN servers diagnose asks: <c>--stun HOST[:PORT]</c> (repeatable), else <c>PORTDOCTOR_STUN</c>
/// (comma-separated), else <c>"stun": ["HOST:PORT", …]</c> in config.json (the file <see cref="CheckerSelection"/>
/// reads). None by default: PortDoctor sends nothing to third parties unless told to.
/// </summary>
public static class StunServerSelection
{
    /// <summary>The environment variable that names STUN servers.</summary>
    public const string EnvironmentVariable = "PORTDOCTOR_STUN";

    /// <summary>The STUN port when none is given (RFC 8489 §18.6).</summary>
    public const int DefaultPort = 3478;

    /// <summary>
    /// How long one name may take to resolve: the STUN query itself has 3 s (<see cref="Stun.StunClient.DefaultBudget"/>),
    /// and a resolver that hangs longer would eat diagnose's budget; such a server is left out like one that does not resolve.
    /// </summary>
    public static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Resolves the servers in precedence order: flag, environment, config file.</summary>
    /// <param name="flag">The <c>--stun</c> values; null or empty when not given.</param>
    /// <param name="getEnvironment">Reads an environment variable (the seam for tests).</param>
    /// <param name="configFilePath">The config file, or null to skip it; a missing or broken file counts as unset.</param>
    /// <param name="resolve">Resolves a host name to IPv4 addresses (default: the system resolver).</param>
    /// <param name="cancellationToken">Cancels the resolution.</param>
    /// <returns>The servers, or the first value that is not HOST[:PORT].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="getEnvironment"/> is null.</exception>
    public static async Task<StunServerSelectionResult> ResolveAsync(IReadOnlyList<string>? flag, Func<string, string?> getEnvironment, string? configFilePath,
        Func<string, CancellationToken, Task<IPAddress[]>>? resolve, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(getEnvironment);
        resolve ??= static (host, ct) => Dns.GetHostAddressesAsync(host, AddressFamily.InterNetwork, ct);
        IEnumerable<string> names = flag is { Count: > 0 } ? flag : FromEnvironmentOrConfig(getEnvironment, configFilePath);
        var result = new List<IPEndPoint>();
        foreach (var name in names.Select(n => n.Trim()).Where(n => n.Length > 0))
        {
            if (!TrySplit(name, out string host, out int port))
            {
                return new StunServerSelectionResult([], Text.Of("Input.BadStun", name));
            }

            if (IPAddress.TryParse(host, out var literal))
            {
                result.Add(new IPEndPoint(literal, port));
                continue;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ResolveTimeout);
            try
            {
                var addresses = await resolve(host, timeout.Token).ConfigureAwait(false);
                if (addresses.Length > 0)
                {
                    result.Add(new IPEndPoint(addresses[0], port));
                }
            }
            catch (SocketException)
            {
                // An unresolvable server is reported by its absence from the STUN evidence; others may still answer.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Too slow to resolve: left out, as above.
            }
        }

        return new StunServerSelectionResult(result, null);
    }

    /// <summary>Splits HOST, HOST:PORT, [V6] or [V6]:PORT.</summary>
    /// <param name="text">The value.</param>
    /// <param name="host">The host part.</param>
    /// <param name="port">The port, <see cref="DefaultPort"/> when none is given.</param>
    /// <returns>False when the value is not of that form.</returns>
    public static bool TrySplit(string text, out string host, out int port)
    {
        ArgumentNullException.ThrowIfNull(text);
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
        if (colon == 0)
        {
            // ":3478": a port without a host (a bare IPv6 literal such as "::1" has more than one colon).
            return false;
        }

        if (colon > 0 && text.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            host = text[..colon];
            return int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535 && host.Length > 0;
        }

        return host.Length > 0;
    }

    private static string[] FromEnvironmentOrConfig(Func<string, string?> getEnvironment, string? path)
    {
        string? env = getEnvironment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            return env.Split(',', StringSplitOptions.RemoveEmptyEntries);
        }

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
