using Microsoft.Extensions.Time.Testing;

namespace PortDoctor.Checker.Tests;

public class MemoryRateLimiterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fixed_window_per_key_with_retry_after_and_sweeping()
    {
        var time = new FakeTimeProvider();
        var limiter = new MemoryRateLimiter(2, TimeSpan.FromSeconds(10), time);

        Assert.True((await limiter.TryAcquireAsync("a", Ct)).Allowed);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.True((await limiter.TryAcquireAsync("a", Ct)).Allowed);
        RateLimitDecision refused = await limiter.TryAcquireAsync("a", Ct);
        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(6), refused.RetryAfter);
        Assert.True((await limiter.TryAcquireAsync("b", Ct)).Allowed); // another address has its own window

        time.Advance(TimeSpan.FromSeconds(6));
        Assert.True((await limiter.TryAcquireAsync("a", Ct)).Allowed);   // a's window ended
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True((await limiter.TryAcquireAsync("c", Ct)).Allowed);   // triggers the sweep of ended windows
        Assert.Equal(1, limiter.TrackedKeys);
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    public void Partition_keys_group_ipv6_by_64(string address, string key) =>
        Assert.Equal(key, AddressRateLimiter.PartitionKey(System.Net.IPAddress.Parse(address)));
}
