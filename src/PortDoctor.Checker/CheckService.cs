using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;

namespace PortDoctor.Checker;

/// <summary>The outcome of a check request: a probe result, or a problem to send instead.</summary>
/// <param name="Target">The address probed (the caller's own).</param>
/// <param name="Result">The probe result, or null when <paramref name="Problem"/> is set.</param>
/// <param name="Problem">The refusal (403, 503) to send, or null.</param>
internal sealed record CheckOutcome(IPAddress Target, ProbeResult? Result, IResult? Problem);

/// <summary>
/// Probes the caller's own address: refuses non-public targets unless allowed, caps the number of
/// probes running at once, and logs with masked addresses.
/// </summary>
internal sealed class CheckService(CheckerOptions options, Prober prober, ProbeGauge gauge, ILogger<CheckService> logger) : IDisposable
{
    // A refused caller should come back after about one probe's length, when a slot has likely freed up.
    private readonly int busyRetryAfterSeconds = (int)Math.Ceiling(Math.Max(options.ConnectTimeout.TotalSeconds, options.UdpReplyTimeout.TotalSeconds));

    private readonly ConcurrencyLimiter limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.MaxConcurrentProbes,
        QueueLimit = 0,
    });

    /// <summary>Runs one probe against the connection's remote address.</summary>
    public async Task<CheckOutcome> CheckAsync(HttpContext context, int port, TransportProtocol protocol, string? nonce)
    {
        IPAddress target = ForwardedFor.Normalise(context.Connection.RemoteIpAddress ?? IPAddress.None);
        AddressKind kind = AddressClass.Classify(target);
        if (kind != AddressKind.Public && !options.AllowPrivate)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                Log.RefusedTarget(logger, new LogAddress(target, options.LogFullAddresses), kind);
            }

            return new CheckOutcome(target, null, Problems.RefusedTarget(target.ToString(), Describe(kind)));
        }

        using RateLimitLease lease = limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            if (logger.IsEnabled(LogLevel.Warning))
            {
                Log.Busy(logger, options.MaxConcurrentProbes, new LogAddress(target, options.LogFullAddresses));
            }

            context.Response.Headers.RetryAfter = busyRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return new CheckOutcome(target, null, Problems.Busy(busyRetryAfterSeconds));
        }

        var endpoint = new IPEndPoint(target, port);
        ProbeResult result;
        using (gauge.Enter())
        {
            result = protocol == TransportProtocol.Tcp
                ? await prober.ProbeTcpAsync(endpoint, context.RequestAborted).ConfigureAwait(false)
                : await prober.ProbeUdpAsync(endpoint, nonce!, context.RequestAborted).ConfigureAwait(false);
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            if (result.RttMs is double rtt)
            {
                Log.Probed(logger, new LogAddress(target, options.LogFullAddresses), protocol, port, result.State, rtt);
            }
            else
            {
                Log.ProbedNoAnswer(logger, new LogAddress(target, options.LogFullAddresses), protocol, port, result.State);
            }
        }

        return new CheckOutcome(target, result, null);
    }

    /// <summary>The wire name of a state.</summary>
    public static string StateName(Core.Reachability.ReachabilityState state) => state switch
    {
        Core.Reachability.ReachabilityState.Open => "open",
        Core.Reachability.ReachabilityState.Closed => "closed",
        _ => "filtered",
    };

    public void Dispose() => limiter.Dispose();

    private static string Describe(AddressKind kind) => kind switch
    {
        AddressKind.Private => "private (RFC 1918 / unique local)",
        AddressKind.CarrierGradeNat => "carrier-grade NAT (100.64.0.0/10)",
        AddressKind.Loopback => "loopback",
        AddressKind.LinkLocal => "link-local",
        AddressKind.Multicast => "multicast",
        AddressKind.Unspecified => "unspecified",
        _ => "reserved",
    };
}
