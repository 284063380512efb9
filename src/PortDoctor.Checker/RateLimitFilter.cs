using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PortDoctor.Checker;

/// <summary>The endpoint filter in front of every probing endpoint: counts the request per client and answers 429 with Retry-After past the limit.</summary>
internal static class RateLimitFilter
{
    public static ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        HttpContext http = invocation.HttpContext;
        IAddressRateLimiter limiter = http.RequestServices.GetRequiredService<IAddressRateLimiter>();
        ValueTask<RateLimitDecision> pending = limiter.TryAcquireAsync(AddressRateLimiter.PartitionKey(http.Connection.RemoteIpAddress), http.RequestAborted);

        // The in-memory limiter answers at once. Handing over to the endpoint without an async frame of our
        // own matters under load: such a frame would stay alive for the whole probe, about 180 bytes for
        // every request in flight.
        if (pending.IsCompletedSuccessfully)
        {
            RateLimitDecision decision = pending.Result;
            return decision.Allowed ? next(invocation) : ValueTask.FromResult<object?>(Refuse(http, decision));
        }

        return AwaitDecisionAsync(pending, invocation, next);
    }

    private static async ValueTask<object?> AwaitDecisionAsync(ValueTask<RateLimitDecision> pending, EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        RateLimitDecision decision = await pending.ConfigureAwait(false);
        return decision.Allowed ? await next(invocation).ConfigureAwait(false) : Refuse(invocation.HttpContext, decision);
    }

    private static ProblemHttpResult Refuse(HttpContext http, RateLimitDecision decision)
    {
        // Whole seconds, rounded up, never 0: "Retry-After: 0" would invite an immediate retry that fails again.
        int seconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        CheckerOptions options = http.RequestServices.GetRequiredService<CheckerOptions>();
        ILogger logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitFilter).FullName!);
        if (logger.IsEnabled(LogLevel.Information))
        {
            Log.RateLimited(logger, new LogAddress(http.Connection.RemoteIpAddress, options.LogFullAddresses));
        }

        return Problems.TooManyRequests(seconds);
    }
}
