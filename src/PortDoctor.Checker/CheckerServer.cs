using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using PortDoctor.Core.Reachability.Wire;

namespace PortDoctor.Checker;

/// <summary>Builds the checker web application that <c>portdoctor serve</c> runs.</summary>
public static class CheckerServer
{
    /// <summary>How long a client may take to send its request headers by default; see <see cref="CheckerOptions.RequestHeadersTimeout"/>.</summary>
    public static readonly TimeSpan RequestHeadersTimeout = CheckerOptions.DefaultRequestHeadersTimeout;

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
    /// <param name="logging">Extra logging setup (tests add a capturing provider), or null.</param>
    /// <returns>The application; call <c>RunAsync</c> or <c>StartAsync</c>. Stopping it waits up to
    /// <see cref="CheckerOptions.ShutdownTimeout"/> for requests in flight, then cancels their probes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="CheckerOptions.Validate"/>).</exception>
    /// <exception cref="ArgumentException">The Redis connection string cannot be parsed.</exception>
    public static WebApplication BuildApp(CheckerOptions options, string[]? urls = null, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string[] listen = urls is { Length: > 0 } ? urls : options.Urls.Count > 0 ? [.. options.Urls] : [CheckerOptions.DefaultUrl];

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(listen);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = KeepAliveTimeout;
            kestrel.Limits.MinRequestBodyDataRate = MinRequestBodyDataRate;
            kestrel.Limits.MaxRequestBodySize = CheckerOptions.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxRequestLineSize = 2 * 1024;
        });

        // The framework's per-request logs would repeat every caller's full address; the checker logs its own, masked.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // Hosting starts an Activity for every request whenever its own log category is enabled at any level;
        // nothing here reads it, and with thousands of probes in flight it costs about 200 bytes each.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        if (options.LogFormat == CheckerLogFormat.Json)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            });
        }

        // A log that cannot keep up (a slow terminal or journal) drops lines and says how many, rather than making
        // request threads wait: probing must not stall on logging.
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite);
        logging?.Invoke(builder.Logging);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, CheckerWireJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(1, CheckerJsonContext.Default);
        });
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = Problems.AddFix);
        builder.Services.AddOpenApi(CheckerOpenApi.Configure);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ProbeGauge>();
        builder.Services.AddSingleton(sp => new Prober(options.ConnectTimeout, options.UdpReplyTimeout, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<CheckService>();
        builder.Services.AddSingleton(sp => new MemoryRateLimiter(options.RateLimitPermits, options.RateLimitWindow, sp.GetRequiredService<TimeProvider>()));
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            builder.Services.AddSingleton<IAddressRateLimiter>(sp => sp.GetRequiredService<MemoryRateLimiter>());
        }
        else
        {
            builder.Services.AddSingleton(sp => RedisRateLimiter.Connect(options, sp.GetRequiredService<MemoryRateLimiter>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RedisRateLimiter).FullName!)));
            builder.Services.AddSingleton<IAddressRateLimiter>(sp => sp.GetRequiredService<RedisRateLimiter>());
        }

        WebApplication app = builder.Build();
        IPNetwork[] trusted = [.. options.TrustedProxies];

        // Without trusted proxies the peer is the client: nothing to rewrite (everything downstream normalises
        // IPv4-mapped addresses itself), so the step is left out of every request.
        if (trusted.Length > 0)
        {
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
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        ApiEndpoints.Map(app);
        app.MapOpenApi();

        // Connect to Redis (if configured) at start rather than on the first check, and say how the instance runs.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            app.Services.GetRequiredService<IAddressRateLimiter>();
            ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CheckerServer).FullName!);
            if (logger.IsEnabled(LogLevel.Information))
            {
                string listening = string.Join(' ', app.Urls);
                string store = string.IsNullOrWhiteSpace(options.Redis) ? "memory" : "redis";
                Log.Started(logger, listening, options.AllowPrivate, options.RateLimitPermits, options.RateLimitWindow, store, options.MaxConcurrentProbes);
            }
        });
        return app;
    }
}
