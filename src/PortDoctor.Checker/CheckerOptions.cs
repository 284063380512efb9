using System.Net;

namespace PortDoctor.Checker;

/// <summary>Settings of the checker service (<c>portdoctor serve</c>).</summary>
public sealed class CheckerOptions
{
    /// <summary>The URL Kestrel listens on when none is given: every interface, IPv4 and IPv6, port 8080.</summary>
    public const string DefaultUrl = "http://*:8080";

    /// <summary>
    /// The default TCP connect timeout: 3 s. A host that answers at all answers a SYN within a few hundred
    /// milliseconds even across continents; 3 s also covers one SYN retransmission (Linux starts at 1 s)
    /// on a lossy link, while a filtered port still gets its verdict quickly.
    /// </summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The default wait for a UDP echo: 3 s, for the same reasons as <see cref="DefaultConnectTimeout"/>;
    /// only one datagram is sent, so a lost one reads as filtered and the user may simply check again.
    /// </summary>
    public static readonly TimeSpan DefaultUdpReplyTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The largest request body accepted, in bytes; a check request is under 100 bytes.</summary>
    public const int MaxRequestBodyBytes = 1024;

    /// <summary>The URLs to listen on (Kestrel syntax, e.g. <c>http://*:8080</c>); empty means <see cref="DefaultUrl"/>.</summary>
    public IList<string> Urls { get; } = [];

    /// <summary>
    /// When true, probes private, loopback, link-local, CGNAT and reserved addresses too. Only for labs and
    /// tests: on a public server it would let anyone make the checker connect into its own network.
    /// </summary>
    public bool AllowPrivate { get; set; }

    /// <summary>
    /// Reverse proxies whose <c>X-Forwarded-For</c> header is believed (a single address is a /32 or /128
    /// network). From any other peer the header is ignored.
    /// </summary>
    public IList<IPNetwork> TrustedProxies { get; } = [];

    /// <summary>How long a TCP probe waits for the connection; default <see cref="DefaultConnectTimeout"/>. Must be positive.</summary>
    public TimeSpan ConnectTimeout { get; set; } = DefaultConnectTimeout;

    /// <summary>How long a UDP probe waits for the echo; default <see cref="DefaultUdpReplyTimeout"/>. Must be positive.</summary>
    public TimeSpan UdpReplyTimeout { get; set; } = DefaultUdpReplyTimeout;

    /// <summary>The most probes running at once across all callers (default 64); more get HTTP 503 with Retry-After.</summary>
    public int MaxConcurrentProbes { get; set; } = 64;

    /// <summary>How many probe requests one address (IPv4 /32, IPv6 /64) may make per <see cref="RateLimitWindow"/> (default 10).</summary>
    public int RateLimitPermits { get; set; } = 10;

    /// <summary>The per-address rate limit window (default 1 minute); excess requests get HTTP 429 with Retry-After.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>When true, logs whole client addresses at Information level; otherwise the last IPv4 octet (IPv6: all past /48) is masked.</summary>
    public bool LogFullAddresses { get; set; }

    /// <summary>How log lines are written to the console: plain text (default) or one JSON object per line.</summary>
    public CheckerLogFormat LogFormat { get; set; } = CheckerLogFormat.Text;

    /// <summary>
    /// How long a client may take to send its request headers; default <see cref="DefaultRequestHeadersTimeout"/>.
    /// Kestrel checks it about once per second, so values under 1 s act as 1–2 s. Must be positive.
    /// </summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = DefaultRequestHeadersTimeout;

    /// <summary>
    /// How long a stop (SIGTERM, Ctrl+C) waits for requests in flight; default <see cref="DefaultShutdownTimeout"/>.
    /// Probes still running then are cancelled and their connections closed. Must be positive.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = DefaultShutdownTimeout;

    /// <summary>
    /// A StackExchange.Redis connection string (e.g. <c>redis.internal:6379,password=...</c>). When set, the
    /// per-address rate limit is counted in Redis so that every instance behind a load balancer shares it;
    /// when null or empty (the default), each instance counts in memory.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>The prefix of the rate limit keys in Redis (default <c>portdoctor:rl:</c>); instances that share limits use the same prefix.</summary>
    public string RedisKeyPrefix { get; set; } = "portdoctor:rl:";

    /// <summary>
    /// How long one rate limit call to Redis may take before the instance falls back to its own in-memory
    /// count for that request; default <see cref="DefaultRedisTimeout"/>. Must be positive.
    /// </summary>
    public TimeSpan RedisTimeout { get; set; } = DefaultRedisTimeout;

    /// <summary>The default <see cref="RequestHeadersTimeout"/>: 5 s. Browsers and the CLI send headers at once; a slow sender is holding a connection (slowloris), not checking a port.</summary>
    public static readonly TimeSpan DefaultRequestHeadersTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default <see cref="ShutdownTimeout"/>: 10 s, longer than the default probe timeouts so that a probe in flight finishes.</summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The default <see cref="RedisTimeout"/>: 250 ms. Redis answers a script in well under a millisecond on a
    /// LAN; waiting longer would only add that delay to every check while Redis is in trouble.
    /// </summary>
    public static readonly TimeSpan DefaultRedisTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>Checks the values; called by <see cref="CheckerServer.BuildApp"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A timeout, limit or window is not positive, or the Redis key prefix is empty.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(UdpReplyTimeout, TimeSpan.Zero, nameof(UdpReplyTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentProbes, 1, nameof(MaxConcurrentProbes));
        ArgumentOutOfRangeException.ThrowIfLessThan(RateLimitPermits, 1, nameof(RateLimitPermits));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RateLimitWindow, TimeSpan.Zero, nameof(RateLimitWindow));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestHeadersTimeout, TimeSpan.Zero, nameof(RequestHeadersTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ShutdownTimeout, TimeSpan.Zero, nameof(ShutdownTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RedisTimeout, TimeSpan.Zero, nameof(RedisTimeout));
        if (string.IsNullOrWhiteSpace(RedisKeyPrefix))
        {
            throw new ArgumentOutOfRangeException(nameof(RedisKeyPrefix), RedisKeyPrefix, "RedisKeyPrefix must not be empty; use for example \"portdoctor:rl:\".");
        }
    }
}

/// <summary>The console log format of the checker.</summary>
public enum CheckerLogFormat
{
    /// <summary>Human-readable lines (the default).</summary>
    Text,

    /// <summary>One JSON object per line with the message template's named values as fields, for log collectors.</summary>
    Json,
}
