using System.Net;
using System.Net.NetworkInformation;

namespace PortDoctor.Core.Diagnosis;

/// <summary>Lists the first routers on the path to an address (a short traceroute), for double-NAT and CGNAT detection.</summary>
public interface IHopProbe
{
    /// <summary>Sends one ICMP echo per TTL from 1 to <paramref name="maxHops"/> at once and reports who answered each.</summary>
    /// <param name="target">Where the path leads (the checker or STUN server).</param>
    /// <param name="maxHops">How many hops, 1–8.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>For each TTL (index 0 = TTL 1) the router that answered "time exceeded", the target itself when it
    /// answered, or null when nothing answered in time.</returns>
    Task<IReadOnlyList<IPAddress?>> TraceAsync(IPAddress target, int maxHops, CancellationToken cancellationToken);
}

/// <summary><see cref="IHopProbe"/> over <see cref="Ping"/> with a TTL per request (raw ICMP as root, the system ping tool otherwise).</summary>
public sealed class PingHopProbe : IHopProbe
{
    /// <summary>Per-hop wait: routers on the first hops of a home network answer in milliseconds; one second allows a slow modem.</summary>
    public static readonly TimeSpan HopTimeout = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public async Task<IReadOnlyList<IPAddress?>> TraceAsync(IPAddress target, int maxHops, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHops, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxHops, 8);
        var tasks = Enumerable.Range(1, maxHops).Select(ttl => HopAsync(target, ttl, cancellationToken)).ToArray();
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static async Task<IPAddress?> HopAsync(IPAddress target, int ttl, CancellationToken cancellationToken)
    {
        using var ping = new Ping();
        try
        {
            var reply = await ping.SendPingAsync(target, HopTimeout, [0x50, 0x44], new PingOptions(ttl, dontFragment: true), cancellationToken).ConfigureAwait(false);
            return reply.Status is IPStatus.TtlExpired or IPStatus.TimeExceeded or IPStatus.Success ? reply.Address : null;
        }
        catch (PingException)
        {
            return null;
        }
    }
}
