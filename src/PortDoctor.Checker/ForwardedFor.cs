using System.Net;
using Microsoft.Extensions.Primitives;

namespace PortDoctor.Checker;

/// <summary>
/// Works out the client's address from the TCP peer and <c>X-Forwarded-For</c>. The header is used only
/// while the hop to its right is a trusted proxy, and only when every entry in it is a bare IP address;
/// anything else (ports, obfuscated names, garbage) makes the whole header untrusted.
/// </summary>
public static class ForwardedFor
{
    /// <summary>Resolves the client address. Pure; never throws on malformed headers.</summary>
    /// <param name="peer">The TCP peer of the connection.</param>
    /// <param name="header">All <c>X-Forwarded-For</c> header values, in order (several lines are one list).</param>
    /// <param name="trustedProxies">Networks whose header is believed.</param>
    /// <returns>The client address, IPv4-mapped IPv6 normalised to IPv4.</returns>
    public static IPAddress Resolve(IPAddress peer, StringValues header, IReadOnlyList<IPNetwork> trustedProxies)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(trustedProxies);
        IPAddress current = Normalise(peer);
        if (header.Count == 0 || !IsTrusted(current, trustedProxies))
        {
            return current;
        }

        var hops = new List<IPAddress>();
        foreach (string? line in header)
        {
            foreach (string part in (line ?? string.Empty).Split(','))
            {
                if (!TryParseStrict(part.Trim(), out IPAddress? hop))
                {
                    return current;
                }

                hops.Add(Normalise(hop));
            }
        }

        for (int i = hops.Count - 1; i >= 0 && IsTrusted(current, trustedProxies); i--)
        {
            current = hops[i];
        }

        return current;
    }

    /// <summary>Maps an IPv4-mapped IPv6 address to IPv4; other addresses are returned unchanged.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The normalised address.</returns>
    public static IPAddress Normalise(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    private static bool IsTrusted(IPAddress address, IReadOnlyList<IPNetwork> trustedProxies)
    {
        foreach (IPNetwork network in trustedProxies)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    // IPAddress.TryParse also takes "1.2" (= 1.0.0.2), octal-looking "010.1.1.1", "[::1]:80" and zone ids;
    // a proxy writes none of these, so they mark a forged or broken header.
    private static bool TryParseStrict(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Length == 0 || text.Contains('%', StringComparison.Ordinal) || text.Contains('[', StringComparison.Ordinal) ||
            !IPAddress.TryParse(text, out IPAddress? parsed))
        {
            return false;
        }

        bool plain = parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? text.Contains(':', StringComparison.Ordinal)
            : parsed.ToString() == text;
        if (!plain)
        {
            return false;
        }

        address = parsed;
        return true;
    }
}
