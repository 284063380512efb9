using System.Collections.Concurrent;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.NatPmp;

/// <summary>
/// Counts the reboots a NAT-PMP/PCP client noticed (an epoch that went back, RFC 6886 §3.6 / RFC 6887 §8.5) and tells,
/// per mapping, whether one happened since that mapping was last asked about; several mappings share one client.
/// </summary>
internal sealed class RebootWatch
{
    private readonly ConcurrentDictionary<(TransportProtocol Protocol, int InternalPort), int> _seen = new();
    private int _reboots;

    /// <summary>Starts counting the reboots <paramref name="client"/> reports, from any of its exchanges.</summary>
    public RebootWatch(PmpClientBase client) =>
        client.GatewayRebooted += (_, _) => Interlocked.Increment(ref _reboots);

    /// <summary>The count before a presence question; the first call for a mapping is its baseline.</summary>
    public int Before(MappingRecord record) => _seen.GetOrAdd((record.Protocol, record.InternalPort), Volatile.Read(ref _reboots));

    /// <summary>After the question was answered: true when a reboot was seen since <paramref name="before"/>.</summary>
    public bool RebootedSince(MappingRecord record, int before)
    {
        int now = Volatile.Read(ref _reboots);
        _seen[(record.Protocol, record.InternalPort)] = now;
        return now > before;
    }
}
