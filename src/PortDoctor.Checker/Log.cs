using Microsoft.Extensions.Logging;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Checker;

/// <summary>The checker's log messages (source-generated, no boxing, AOT-safe).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Probe {Target} {Protocol}/{Port}: {State} ({RttMs} ms)")]
    public static partial void Probed(ILogger logger, LogAddress target, TransportProtocol protocol, int port, ReachabilityState state, double rttMs);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Probe {Target} {Protocol}/{Port}: {State} (no answer)")]
    public static partial void ProbedNoAnswer(ILogger logger, LogAddress target, TransportProtocol protocol, int port, ReachabilityState state);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Refused to probe {Target}: {Kind} address")]
    public static partial void RefusedTarget(ILogger logger, LogAddress target, AddressKind kind);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Probe capacity of {Limit} reached; answered 503 to {Target}")]
    public static partial void Busy(ILogger logger, int limit, LogAddress target);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Rate limit hit by {Target}")]
    public static partial void RateLimited(ILogger logger, LogAddress target);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Redis rate limit store failed ({Error}: {Message}); counting in memory on this instance until it answers again")]
    public static partial void RedisFailed(ILogger logger, string error, string message);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Checker listening on {Urls}; private targets {AllowPrivate}; rate limit {Permits} per {Window} in {Store}; probe cap {Cap}")]
    public static partial void Started(ILogger logger, string urls, bool allowPrivate, int permits, TimeSpan window, string store, int cap);
}

/// <summary>A client address as logs show it: masked unless full addresses are enabled (formatted only when written).</summary>
/// <param name="Address">The address.</param>
/// <param name="Full">True to log it unmasked.</param>
internal readonly record struct LogAddress(System.Net.IPAddress? Address, bool Full)
{
    public override string ToString() => AddressMask.Mask(Address, Full);
}
