using System.Collections.Concurrent;

namespace PortDoctor.Checker;

/// <summary>
/// A fixed-window per-key counter in this process: the first request of a key opens a window of
/// <c>window</c> length; up to <c>permits</c> requests pass in it. Windows that have ended are swept once per
/// window length, so memory stays proportional to the clients of the last window.
/// </summary>
/// <remarks>
/// Not System.Threading.RateLimiting's partitioned <c>FixedWindowRateLimiter</c> (the global probe cap does use
/// that library's <c>ConcurrencyLimiter</c>): its refusals carry the whole window as RetryAfter rather than the
/// time left, so every 429 would tell the caller to wait the full minute, and it reads its own clock rather than
/// a <see cref="TimeProvider"/>. The Redis limiter keeps the same semantics across instances.
/// </remarks>
/// <param name="permits">Requests allowed per window, at least 1.</param>
/// <param name="window">The window length, positive.</param>
/// <param name="timeProvider">The clock.</param>
public sealed class MemoryRateLimiter(int permits, TimeSpan window, TimeProvider timeProvider) : IAddressRateLimiter
{
    private readonly ConcurrentDictionary<string, Window> windows = new(StringComparer.Ordinal);
    private long nextSweep = timeProvider.GetTimestamp();

    /// <summary>The number of keys currently held (for tests and diagnostics).</summary>
    public int TrackedKeys => windows.Count;

    /// <inheritdoc/>
    public ValueTask<RateLimitDecision> TryAcquireAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long now = timeProvider.GetTimestamp();
        SweepIfDue(now);
        Window w = windows.GetOrAdd(key, static (_, n) => new Window(n), now);
        lock (w)
        {
            if (Elapsed(w.Start, now) >= window)
            {
                w.Start = now;
                w.Count = 0;
            }

            w.Count++;
            return ValueTask.FromResult(w.Count <= permits
                ? new RateLimitDecision(true, TimeSpan.Zero)
                : new RateLimitDecision(false, window - Elapsed(w.Start, now)));
        }
    }

    private TimeSpan Elapsed(long from, long to) => timeProvider.GetElapsedTime(from, to);

    private void SweepIfDue(long now)
    {
        long due = Interlocked.Read(ref nextSweep);
        if (now < due || Interlocked.CompareExchange(ref nextSweep, now + (long)(window.TotalSeconds * timeProvider.TimestampFrequency), due) != due)
        {
            return;
        }

        foreach (KeyValuePair<string, Window> pair in windows)
        {
            bool ended;
            lock (pair.Value)
            {
                ended = Elapsed(pair.Value.Start, now) >= window;
            }

            if (ended)
            {
                // A request racing with this removal only loses its own fresh window: it starts a new one.
                windows.TryRemove(pair);
            }
        }
    }

    private sealed class Window(long start)
    {
        public long Start { get; set; } = start;

        public int Count { get; set; }
    }
}
