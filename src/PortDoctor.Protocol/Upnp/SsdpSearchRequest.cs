using System.Globalization;
using System.Net;
using System.Text;

namespace PortDoctor.Protocol.Upnp;

/// <summary>Builds SSDP M-SEARCH requests (UPnP Device Architecture 1.1 §1.3.2).</summary>
public static class SsdpSearchRequest
{
    /// <summary>The SSDP IPv4 multicast group, 239.255.255.250.</summary>
    public static IPAddress MulticastAddress { get; } = IPAddress.Parse("239.255.255.250");

    /// <summary>The SSDP port, 1900.</summary>
    public const int Port = 1900;

    /// <summary>The USER-AGENT header value sent ("OS/version UPnP/1.1 product/version", UDA 1.1 §1.3.2).</summary>
    public const string UserAgent = "unknown/0 UPnP/1.1 PortDoctor/1.0";

    /// <summary>
    /// Builds a multicast M-SEARCH for 239.255.255.250:1900.
    /// </summary>
    /// <param name="searchTarget">The ST value, for example <see cref="SsdpSearchTargets.InternetGatewayDevice1"/>.</param>
    /// <param name="maxWaitSeconds">MX: devices spread their answers over 0..MX seconds; 1–5 (UDA 1.1).</param>
    /// <returns>The datagram bytes (ASCII, CRLF line ends).</returns>
    /// <exception cref="ArgumentException">The search target is empty or holds a line break.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWaitSeconds"/> is outside 1–5.</exception>
    public static byte[] BuildMulticast(string searchTarget, int maxWaitSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWaitSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxWaitSeconds, 5);
        return Build(searchTarget, "239.255.255.250:1900", maxWaitSeconds);
    }

    /// <summary>
    /// Builds a unicast M-SEARCH for <paramref name="host"/>:1900. UDA 1.1 §1.3.2: a unicast search
    /// carries the target's own HOST and no MX (the device answers at once).
    /// </summary>
    /// <param name="searchTarget">The ST value.</param>
    /// <param name="host">The device address (the gateway).</param>
    /// <returns>The datagram bytes.</returns>
    /// <exception cref="ArgumentException">The search target is empty or holds a line break.</exception>
    public static byte[] BuildUnicast(string searchTarget, IPAddress host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return Build(searchTarget, new IPEndPoint(host, Port).ToString(), null);
    }

    private static byte[] Build(string searchTarget, string host, int? maxWaitSeconds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(searchTarget);
        if (searchTarget.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("The search target must be a single line.", nameof(searchTarget));
        }

        var text = new StringBuilder()
            .Append("M-SEARCH * HTTP/1.1\r\n")
            .Append("HOST: ").Append(host).Append("\r\n")
            .Append("MAN: \"ssdp:discover\"\r\n");
        if (maxWaitSeconds is int mx)
        {
            text.Append("MX: ").Append(mx.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        text.Append("ST: ").Append(searchTarget).Append("\r\n")
            .Append("USER-AGENT: ").Append(UserAgent).Append("\r\n\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
