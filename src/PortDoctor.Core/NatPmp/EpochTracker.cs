namespace PortDoctor.Core.NatPmp;

/// <summary>Which rule decides that a gateway lost its mappings.</summary>
public enum EpochRule
{
    /// <summary>RFC 6886 §3.6: the new epoch is more than 2 s below the previous one plus 7/8 of the time elapsed here.</summary>
    NatPmp,

    /// <summary>RFC 6887 §8.5: the epoch went back by more than 1 s, or the server's and the client's elapsed times
    /// differ by more than 1/16 plus 2 s.</summary>
    Pcp,
}

/// <summary>
/// Follows a gateway's epoch (seconds since its mapping table started). An epoch that does not advance with
/// the client's clock means the gateway rebooted or otherwise lost its mappings, and they must be re-created.
/// Thread-safe.
/// </summary>
internal sealed class EpochTracker
{
    private readonly EpochRule _rule;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private bool _seen;
    private uint _previousEpoch;
    private long _previousTimestamp;

    /// <summary>Creates a tracker.</summary>
    /// <param name="rule">The protocol's rule.</param>
    /// <param name="timeProvider">The client's clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is null.</exception>
    public EpochTracker(EpochRule rule, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _rule = rule;
        _time = timeProvider;
    }

    /// <summary>The last epoch seen, in seconds; null before the first answer.</summary>
    public uint? LastEpochSeconds
    {
        get
        {
            lock (_lock)
            {
                return _seen ? _previousEpoch : null;
            }
        }
    }

    /// <summary>Records the epoch of a new answer and says whether it shows a lost mapping table.</summary>
    /// <param name="epochSeconds">The epoch from the answer, in seconds.</param>
    /// <returns>True when the gateway lost its state since the previous answer; false for the first answer.</returns>
    public bool Observe(uint epochSeconds)
    {
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            bool lost = false;
            if (_seen)
            {
                double clientDelta = _time.GetElapsedTime(_previousTimestamp, now).TotalSeconds;
                lost = _rule == EpochRule.NatPmp ? NatPmpLost(epochSeconds, clientDelta) : PcpLost(epochSeconds, clientDelta);
            }

            _seen = true;
            _previousEpoch = epochSeconds;
            _previousTimestamp = now;
            return lost;
        }
    }

    private bool NatPmpLost(uint epoch, double clientDelta) =>
        epoch < _previousEpoch + (clientDelta * 7 / 8) - 2;

    private bool PcpLost(uint epoch, double clientDelta)
    {
        if (epoch + 1d < _previousEpoch)
        {
            return true; // time went backwards
        }

        double serverDelta = (double)epoch - _previousEpoch;
        return clientDelta + 2 < serverDelta - (serverDelta / 16) || serverDelta + 2 < clientDelta - (clientDelta / 16);
    }
}
