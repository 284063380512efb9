using System.Diagnostics.CodeAnalysis;

namespace PortDoctor.Core.Reachability;

/// <summary>
/// An outside checker: which API it speaks and where it is. Written by users as <c>URL</c> (a PortDoctor
/// checker), <c>portdoctor:URL</c>, <c>transmission:URL</c> or <c>echoip:URL</c>.
/// </summary>
/// <param name="Kind">The API the checker speaks.</param>
/// <param name="BaseUri">The checker's absolute http/https base address; request paths are appended to it.</param>
public sealed record CheckerEndpoint(CheckerKind Kind, Uri BaseUri)
{
    private const string PortDoctorPrefix = "portdoctor";
    private const string TransmissionPrefix = "transmission";
    private const string EchoIpPrefix = "echoip";
    private const string Forms = "write it as https://host[:port], portdoctor:URL, transmission:URL or echoip:URL";

    /// <summary>True when the checker can test UDP ports (only PortDoctor's own checker can).</summary>
    public bool SupportsUdp => Kind == CheckerKind.PortDoctor;

    /// <summary>True when the checker can tell this PC its public address and source port.</summary>
    public bool SupportsAddressLookup => Kind == CheckerKind.PortDoctor;

    /// <summary>Parses a checker as users write it; never throws.</summary>
    /// <param name="text">The text, e.g. <c>https://check.example</c> or <c>transmission:https://portcheck.example</c>.</param>
    /// <param name="endpoint">The checker when the result is true.</param>
    /// <param name="error">When the result is false: what is wrong and how to write it instead.</param>
    /// <returns>True when <paramref name="text"/> names a checker.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out CheckerEndpoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        string trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            error = $"The checker is empty; {Forms}.";
            return false;
        }

        int colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            error = $"'{trimmed}' is not a checker URL; {Forms}.";
            return false;
        }

        string head = trimmed[..colon];
        CheckerKind kind;
        string url;
        if (head.Equals(PortDoctorPrefix, StringComparison.OrdinalIgnoreCase)) { kind = CheckerKind.PortDoctor; url = trimmed[(colon + 1)..]; }
        else if (head.Equals(TransmissionPrefix, StringComparison.OrdinalIgnoreCase)) { kind = CheckerKind.Transmission; url = trimmed[(colon + 1)..]; }
        else if (head.Equals(EchoIpPrefix, StringComparison.OrdinalIgnoreCase)) { kind = CheckerKind.EchoIp; url = trimmed[(colon + 1)..]; }
        else if (head.Equals("http", StringComparison.OrdinalIgnoreCase) || head.Equals("https", StringComparison.OrdinalIgnoreCase)) { kind = CheckerKind.PortDoctor; url = trimmed; }
        else if (head.Contains('.', StringComparison.Ordinal) || head.Equals("localhost", StringComparison.OrdinalIgnoreCase) || head.StartsWith('['))
        {
            // "checker.example:8080" or "203.0.113.5:8080": a host and port without the scheme.
            error = $"'{trimmed}' has no scheme; write http://{trimmed} (or https://), or {Forms}.";
            return false;
        }
        else
        {
            error = $"Unknown checker kind '{head}' in '{trimmed}'; {Forms}.";
            return false;
        }

        if (!TryParseBase(url, out Uri? baseUri, out string? urlError))
        {
            error = $"'{trimmed}': {urlError}; {Forms}.";
            return false;
        }

        endpoint = new CheckerEndpoint(kind, baseUri);
        error = null;
        return true;
    }

    /// <summary>The checker written back in the form <see cref="TryParse"/> reads, e.g. <c>transmission:https://host/</c>.</summary>
    /// <returns>The kind prefix and the base URL.</returns>
    public override string ToString() => Kind switch
    {
        CheckerKind.Transmission => $"{TransmissionPrefix}:{BaseUri.AbsoluteUri}",
        CheckerKind.EchoIp => $"{EchoIpPrefix}:{BaseUri.AbsoluteUri}",
        _ => BaseUri.AbsoluteUri,
    };

    /// <summary>The absolute address of a request path below the base, e.g. <c>api/v1/check</c>.</summary>
    /// <param name="relativePath">A path without a leading slash, already escaped.</param>
    /// <returns>The base address with the path appended.</returns>
    internal Uri Resolve(string relativePath) => new(BaseUri.AbsoluteUri.TrimEnd('/') + "/" + relativePath, UriKind.Absolute);

    private static bool TryParseBase(string url, [NotNullWhen(true)] out Uri? baseUri, [NotNullWhen(false)] out string? error)
    {
        baseUri = null;
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out Uri? uri))
        {
            error = "the URL is not an absolute URL";
            return false;
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            error = $"the URL scheme '{uri.Scheme}' is not http or https";
            return false;
        }

        if (uri.Host.Length == 0)
        {
            error = "the URL has no host";
            return false;
        }

        // Credentials would be sent in clear on http and end up in logs and journals: refuse them outright.
        if (uri.UserInfo.Length != 0)
        {
            error = "the URL carries a user name or password, which PortDoctor does not send";
            return false;
        }

        if (uri.Query.Length != 0 || uri.Fragment.Length != 0)
        {
            error = "the URL has a query or fragment; give only the base address";
            return false;
        }

        baseUri = uri;
        error = null;
        return true;
    }
}
