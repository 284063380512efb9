using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace PortDoctor.Checker;

/// <summary>
/// The per-address fixed-window limit counted in Redis, shared by every checker instance that uses the same
/// server and key prefix. One Lua script does INCR and, on the window's first request, PEXPIRE, atomically,
/// and returns the count with the key's remaining time to live.
/// </summary>
/// <remarks>
/// When Redis does not answer within the timeout or fails, the request is counted by this instance's own
/// in-memory limiter instead (fail open to a per-instance limit): a Redis outage then makes the limit
/// N times looser across N instances but never refuses every caller, and the global probe cap of each
/// instance still holds. A warning is logged at most once per <see cref="WarningInterval"/>.
/// </remarks>
public sealed class RedisRateLimiter : IAddressRateLimiter, IDisposable
{
    /// <summary>How often a Redis failure is logged at most: 30 s, so an outage does not flood the log.</summary>
    public static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    // KEYS[1] = bucket; ARGV[1] = window in ms. A key whose expiry was lost (PTTL -1) gets one again,
    // so a bucket can never stay full forever.
    private const string Script = """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
        end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        end
        return {n, ttl}
        """;

    private readonly ConnectionMultiplexer connection;
    private readonly IDatabase database;
    private readonly string prefix;
    private readonly int permits;
    private readonly long windowMs;
    private readonly IAddressRateLimiter fallback;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private long lastWarning = long.MinValue;

    private RedisRateLimiter(ConnectionMultiplexer connection, CheckerOptions options, IAddressRateLimiter fallback, TimeProvider timeProvider, ILogger logger)
    {
        this.connection = connection;
        database = connection.GetDatabase();
        prefix = options.RedisKeyPrefix;
        permits = options.RateLimitPermits;
        windowMs = Math.Max(1, (long)options.RateLimitWindow.TotalMilliseconds);
        this.fallback = fallback;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>Number of requests that were counted locally because Redis failed (for tests and diagnostics).</summary>
    public long FallbackCount => Interlocked.Read(ref fallbackCount);

    private long fallbackCount;

    /// <summary>
    /// Connects to Redis. Does not fail when Redis is down: the connection keeps retrying in the background,
    /// and until it is up every request is counted by <paramref name="fallback"/>.
    /// </summary>
    /// <param name="options">The checker options (<see cref="CheckerOptions.Redis"/> must be set).</param>
    /// <param name="fallback">The in-memory limiter used while Redis fails.</param>
    /// <param name="timeProvider">The clock for throttling warnings.</param>
    /// <param name="logger">Where failures are reported.</param>
    /// <returns>The limiter; dispose it to close the connection.</returns>
    /// <exception cref="ArgumentException">The connection string cannot be parsed.</exception>
    public static RedisRateLimiter Connect(CheckerOptions options, IAddressRateLimiter fallback, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Redis, nameof(options));
        ConfigurationOptions config = ConfigurationOptions.Parse(options.Redis);
        config.AbortOnConnectFail = false;
        config.ClientName ??= "portdoctor-checker";

        // Time-bounded everywhere: a limiter that waits on Redis would stall every check.
        int timeoutMs = (int)Math.Ceiling(options.RedisTimeout.TotalMilliseconds);
        config.AsyncTimeout = timeoutMs;
        config.SyncTimeout = timeoutMs;
        config.ConnectTimeout = Math.Max(timeoutMs, 1000);
        config.BacklogPolicy = BacklogPolicy.FailFast;
        ConnectionMultiplexer connection = ConnectionMultiplexer.Connect(config);
        return new RedisRateLimiter(connection, options, fallback, timeProvider, logger);
    }

    /// <inheritdoc/>
    public async ValueTask<RateLimitDecision> TryAcquireAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            RedisResult result = await database.ScriptEvaluateAsync(Script, [new RedisKey(prefix + key)], [windowMs]).WaitAsync(cancellationToken).ConfigureAwait(false);
            var values = (RedisResult[])result!;
            long count = (long)values[0];
            long ttlMs = (long)values[1];
            return count <= permits
                ? new RateLimitDecision(true, TimeSpan.Zero)
                : new RateLimitDecision(false, TimeSpan.FromMilliseconds(ttlMs));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidCastException or IndexOutOfRangeException)
        {
            Interlocked.Increment(ref fallbackCount);
            WarnThrottled(ex);
            return await fallback.TryAcquireAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the Redis connection.</summary>
    public void Dispose() => connection.Dispose();

    private void WarnThrottled(Exception ex)
    {
        long now = timeProvider.GetTimestamp();
        long last = Interlocked.Read(ref lastWarning);
        if ((last != long.MinValue && timeProvider.GetElapsedTime(last, now) < WarningInterval) ||
            Interlocked.CompareExchange(ref lastWarning, now, last) != last)
        {
            return;
        }

        if (logger.IsEnabled(LogLevel.Warning))
        {
            Log.RedisFailed(logger, ex.GetType().Name, ex.Message);
        }
    }
}
