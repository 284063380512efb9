using System.Net;

namespace PortDoctor.Core.Upnp;

/// <summary>HTTP plumbing shared by discovery and control: a router-safe handler and a size-capped body read.</summary>
public static class UpnpHttp
{
    /// <summary>
    /// Creates the handler the real client should use: no proxy (a system proxy must never see LAN
    /// control traffic), no redirects (a redirect could lead off the gateway's subnet), no cookies.
    /// </summary>
    /// <returns>A new handler; the caller owns it.</returns>
    public static HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        // Routers keep few connection slots and close them quickly; do not hold idle ones.
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(3),
    };

    /// <summary>Reads a body up to <paramref name="maxBytes"/>.</summary>
    /// <param name="content">The response content.</param>
    /// <param name="maxBytes">The cap in bytes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The bytes, or null when the body is longer than the cap.</returns>
    /// <exception cref="HttpRequestException">The connection failed while reading.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static async Task<byte[]?> ReadBoundedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            return await Net.HttpBody.ReadCappedAsync(content, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new HttpRequestException("The router closed the connection while sending the body.", ex);
        }
    }

    /// <summary>True when <paramref name="url"/> is http:// with a literal IPv4 host on the gateway's local subnet.</summary>
    /// <param name="url">The URL to check.</param>
    /// <param name="gateway">The gateway whose subnet counts.</param>
    /// <returns>False for host names (never resolved: a name could point anywhere), other schemes and off-subnet hosts.</returns>
    public static bool IsOnGatewaySubnet(Uri url, Net.GatewayInfo gateway)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(gateway);
        return url.IsAbsoluteUri
            && url.Scheme == Uri.UriSchemeHttp
            && url.HostNameType == UriHostNameType.IPv4
            && IPAddress.TryParse(url.Host, out IPAddress? host)
            && gateway.IsOnLocalSubnet(host);
    }
}
