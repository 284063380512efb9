using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace PortDoctor.Checker.Tests;

/// <summary>The per-address limit shared through a real redis-server by several checker instances.</summary>
public class RedisRateLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // AllowPrivate=false: every counted request is refused (403) before any probe, so only the limiter is exercised.
    private static Task<CheckerHost> StartInstanceAsync(RedisServer redis, string prefix, int permits, TimeSpan window) =>
        CheckerHost.StartAsync(o =>
        {
            o.AllowPrivate = false;
            o.Redis = redis.ConnectionString;
            o.RedisKeyPrefix = prefix;
            o.RateLimitPermits = permits;
            o.RateLimitWindow = window;
        });

    private static async Task<HttpResponseMessage> CheckAsync(CheckerHost host)
    {
        using var content = new StringContent("""{"port":8080,"protocol":"tcp"}""", Encoding.UTF8, "application/json");
        return await host.Http.PostAsync("api/v1/check", content, Ct);
    }

    [Fact]
    public async Task Two_instances_share_one_limit_per_address()
    {
        using RedisServer redis = await RedisServer.StartAsync();
        string prefix = $"test:{Guid.NewGuid():N}:";
        await using CheckerHost a = await StartInstanceAsync(redis, prefix, 3, TimeSpan.FromMinutes(1));
        await using CheckerHost b = await StartInstanceAsync(redis, prefix, 3, TimeSpan.FromMinutes(1));

        var codes = new List<HttpStatusCode>();
        foreach (CheckerHost host in new[] { a, b, a, b, a })
        {
            using HttpResponseMessage response = await CheckAsync(host);
            codes.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
            }
        }

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], codes);

        using ConnectionMultiplexer direct = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        IDatabase db = direct.GetDatabase();
        Assert.Equal(5, (long)await db.StringGetAsync(prefix + "127.0.0.1"));
        TimeSpan? ttl = await db.KeyTimeToLiveAsync(prefix + "127.0.0.1");
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
        Assert.Equal(0, a.App.Services.GetRequiredService<RedisRateLimiter>().FallbackCount);
    }

    [Fact]
    public async Task The_window_ends_and_the_address_may_check_again()
    {
        using RedisServer redis = await RedisServer.StartAsync();
        string prefix = $"test:{Guid.NewGuid():N}:";
        await using CheckerHost a = await StartInstanceAsync(redis, prefix, 1, TimeSpan.FromSeconds(1));
        await using CheckerHost b = await StartInstanceAsync(redis, prefix, 1, TimeSpan.FromSeconds(1));

        using (HttpResponseMessage first = await CheckAsync(a)) { Assert.Equal(HttpStatusCode.Forbidden, first.StatusCode); }
        using (HttpResponseMessage second = await CheckAsync(b)) { Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode); }
        await Task.Delay(1300, Ct);
        using HttpResponseMessage later = await CheckAsync(b);
        Assert.Equal(HttpStatusCode.Forbidden, later.StatusCode);
    }

    [Fact]
    public async Task Redis_outage_falls_back_to_a_per_instance_limit_without_failing_requests()
    {
        using RedisServer redis = await RedisServer.StartAsync();
        string prefix = $"test:{Guid.NewGuid():N}:";
        await using CheckerHost a = await StartInstanceAsync(redis, prefix, 2, TimeSpan.FromMinutes(1));
        using (HttpResponseMessage shared = await CheckAsync(a)) { Assert.Equal(HttpStatusCode.Forbidden, shared.StatusCode); }

        redis.Stop();
        var codes = new List<HttpStatusCode>();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await CheckAsync(a);
            codes.Add(response.StatusCode);
        }

        // The local count starts afresh: two more pass, the third is limited; each answer is quick.
        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.TooManyRequests], codes);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(3, a.App.Services.GetRequiredService<RedisRateLimiter>().FallbackCount);
    }

    [Fact]
    public async Task Unreachable_redis_at_start_does_not_stop_the_checker()
    {
        await using CheckerHost a = await CheckerHost.StartAsync(o =>
        {
            o.AllowPrivate = false;
            o.Redis = $"127.0.0.1:{TestNet.FreeTcpPort()}";
            o.RateLimitPermits = 1;
        });
        using (HttpResponseMessage first = await CheckAsync(a)) { Assert.Equal(HttpStatusCode.Forbidden, first.StatusCode); }
        using HttpResponseMessage second = await CheckAsync(a);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }
}
