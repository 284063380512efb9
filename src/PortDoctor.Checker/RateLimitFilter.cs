using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PortDoctor.Checker;

/// <summary>The endpoint filter in front of every probing endpoint: counts the request per client and answers 429 with Retry-After past the limit.</summary>
internal static class RateLimitFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        HttpContext http = invocation.HttpContext;
        IAddressRateLimiter limiter = http.RequestServices.GetRequiredService<IAddressRateLimiter>();
        RateLimitDecision decision = await limiter.TryAcquireAsync(AddressRateLimiter.PartitionKey(http.Connection.RemoteIpAddress), http.RequestAborted).ConfigureAwait(false);
        if (decision.Allowed)
        {
            return await next(invocation).ConfigureAwait(false);
        }

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
