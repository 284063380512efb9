using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PortDoctor.Core.Reachability.Wire;

namespace PortDoctor.Checker;

/// <summary>Builds the checker web application that <c>portdoctor serve</c> runs.</summary>
public static class CheckerServer
{
    /// <summary>
    /// How long a client may take to send its request headers: 5 s. Browsers and the CLI send them at
    /// once; a slow sender is holding a connection open (slowloris), not checking a port.
    /// </summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long an idle keep-alive connection stays open: 15 s, enough for a page and its one check.</summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The slowest request body accepted: 64 bytes/s after a 2 s grace period. A check body is under
    /// 100 bytes and arrives in one packet; anything slower is stalling.
    /// </summary>
    public static readonly MinDataRate MinRequestBodyDataRate = new(bytesPerSecond: 64, gracePeriod: TimeSpan.FromSeconds(2));

    /// <summary>Builds (but does not start) the checker application.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="urls">URLs to listen on; null or empty uses <see cref="CheckerOptions.Urls"/>, then <see cref="CheckerOptions.DefaultUrl"/>.
    /// <c>http://127.0.0.1:0</c> picks a free port (read it from <see cref="WebApplication.Urls"/> after start).</param>
    /// <returns>The application; call <c>RunAsync</c> or <c>StartAsync</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="CheckerOptions.Validate"/>).</exception>
    public static WebApplication BuildApp(CheckerOptions options, string[]? urls = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string[] listen = urls is { Length: > 0 } ? urls : options.Urls.Count > 0 ? [.. options.Urls] : [CheckerOptions.DefaultUrl];

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(listen);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.RequestHeadersTimeout = RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = KeepAliveTimeout;
            kestrel.Limits.MinRequestBodyDataRate = MinRequestBodyDataRate;
            kestrel.Limits.MaxRequestBodySize = CheckerOptions.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxRequestLineSize = 2 * 1024;
        });

        // The framework's per-request logs would repeat every caller's full address; the checker logs its own, masked.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, CheckerWireJsonContext.Default));
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new Prober(options.ConnectTimeout, options.UdpReplyTimeout, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<CheckService>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(ApiEndpoints.ProbePolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                PartitionKey(context.Connection.RemoteIpAddress),
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.RateLimitPermits,
                    Window = options.RateLimitWindow,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                HttpContext http = rejected.HttpContext;
                int? seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter)
                    ? (int)Math.Ceiling(retryAfter.TotalSeconds)
                    : null;
                http.Response.Headers.RetryAfter = (seconds ?? (int)Math.Ceiling(options.RateLimitWindow.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                ILogger logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CheckerServer).FullName!);
                if (logger.IsEnabled(LogLevel.Information))
                {
                    Log.RateLimited(logger, new LogAddress(http.Connection.RemoteIpAddress, options.LogFullAddresses));
                }

                await Problems.TooManyRequests(seconds).ExecuteAsync(http).ConfigureAwait(false);
            };
        });

        WebApplication app = builder.Build();
        IPNetwork[] trusted = [.. options.TrustedProxies];
        app.Use((context, next) =>
        {
            // Everything downstream (rate limiter partitions, probes, logs) sees the real client address.
            ConnectionInfo connection = context.Connection;
            if (connection.RemoteIpAddress is { } peer)
            {
                IPAddress client = ForwardedFor.Resolve(peer, context.Request.Headers["X-Forwarded-For"], trusted);
                if (!client.Equals(ForwardedFor.Normalise(peer)))
                {
                    // A proxy does not pass on the client's source port.
                    connection.RemotePort = 0;
                }

                connection.RemoteIpAddress = client;
            }

            return next(context);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        ApiEndpoints.Map(app);
        return app;
    }

    // One bucket per IPv4 address and per IPv6 /64, since one household gets a whole /64 and could rotate through it.
    private static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes) + "/64";
    }
}
