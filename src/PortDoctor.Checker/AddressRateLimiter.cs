using System.Net;
using System.Net.Sockets;

namespace PortDoctor.Checker;

/// <summary>The answer of a per-address rate limiter.</summary>
/// <param name="Allowed">True when the request may go ahead.</param>
/// <param name="RetryAfter">When refused: how long until the caller's window ends (at least 1 s is sent).</param>
public readonly record struct RateLimitDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// Counts probe requests per client (fixed window: at most N per window per key). The in-memory
/// implementation counts per instance; the Redis one counts across every instance that shares the server.
/// </summary>
public interface IAddressRateLimiter
{
    /// <summary>Counts one request for the key and says whether it is within the limit.</summary>
    /// <param name="key">The client's bucket (see <see cref="AddressRateLimiter.PartitionKey"/>).</param>
    /// <param name="cancellationToken">The request's abort token; rethrown when cancelled.</param>
    /// <returns>The decision.</returns>
    ValueTask<RateLimitDecision> TryAcquireAsync(string key, CancellationToken cancellationToken);
}

/// <summary>Helpers shared by the rate limiter implementations.</summary>
public static class AddressRateLimiter
{
    /// <summary>
    /// The bucket of an address: each IPv4 address alone, and each IPv6 /64 as a whole, since one household
    /// gets a whole /64 and could rotate through it.
    /// </summary>
    /// <param name="address">The client address, or null.</param>
    /// <returns>The key, e.g. <c>203.0.113.7</c> or <c>2001:db8:1:2::/64</c>.</returns>
    public static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        address = ForwardedFor.Normalise(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes) + "/64";
    }
}
