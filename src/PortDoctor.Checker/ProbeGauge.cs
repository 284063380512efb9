namespace PortDoctor.Checker;

/// <summary>
/// Counts probes in flight (between taking a slot under the global cap and the probe's end) and the
/// highest count seen. One per application; read it from the service provider. Thread-safe.
/// </summary>
public sealed class ProbeGauge
{
    private int current;
    private int peak;
    private long started;

    /// <summary>Probes running now.</summary>
    public int Current => Volatile.Read(ref current);

    /// <summary>The most probes that ran at once since the start (or the last <see cref="ResetPeak"/>).</summary>
    public int Peak => Volatile.Read(ref peak);

    /// <summary>Probes started since the application started.</summary>
    public long Started => Interlocked.Read(ref started);

    /// <summary>Sets <see cref="Peak"/> to the current count.</summary>
    public void ResetPeak() => Volatile.Write(ref peak, Current);

    /// <summary>Marks a probe as started; dispose the result when it ends.</summary>
    /// <returns>A token that marks the end of the probe when disposed (once).</returns>
    internal Scope Enter()
    {
        Interlocked.Increment(ref started);
        int now = Interlocked.Increment(ref current);
        int seen;
        while (now > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
        {
        }

        return new Scope(this);
    }

    /// <summary>Ends one probe when disposed.</summary>
    internal readonly struct Scope(ProbeGauge gauge) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref gauge.current);
    }
}
