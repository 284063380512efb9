using System.Net;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Core.Tests.Reachability;

public sealed class StunServerSelectionTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Theory]
    [InlineData("stun.example.net", "stun.example.net", 3478)]
    [InlineData("stun.example.net:19302", "stun.example.net", 19302)]
    [InlineData("[2001:db8::1]:3479", "2001:db8::1", 3479)]
    [InlineData("[2001:db8::1]", "2001:db8::1", 3478)]
    public void Splits_host_and_port(string text, string host, int port)
    {
        Assert.True(StunServerSelection.TrySplit(text, out string h, out int p));
        Assert.Equal((host, port), (h, p));
    }

    [Theory]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("[2001:db8::1")]
    [InlineData(":3478")]
    public void Refuses_what_is_not_host_port(string text) => Assert.False(StunServerSelection.TrySplit(text, out _, out _));

    [Fact]
    public async Task The_flag_beats_the_environment_and_a_bad_value_is_a_usage_text()
    {
        var fromEnv = await StunServerSelection.ResolveAsync(null, n => n == StunServerSelection.EnvironmentVariable ? "192.0.2.7:3479, 192.0.2.8" : null, null, null, TestContext.Current.CancellationToken);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("192.0.2.7"), 3479), new IPEndPoint(IPAddress.Parse("192.0.2.8"), 3478)], fromEnv.Servers);

        var fromFlag = await StunServerSelection.ResolveAsync(["192.0.2.9"], _ => "192.0.2.7", null, null, TestContext.Current.CancellationToken);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("192.0.2.9"), 3478)], fromFlag.Servers);

        var bad = await StunServerSelection.ResolveAsync(["host:99999"], NoEnvironment, null, null, TestContext.Current.CancellationToken);
        Assert.Equal("Input.BadStun", bad.Error?.Key);
    }

    [Fact]
    public async Task Names_go_through_the_resolver_and_one_that_fails_is_left_out()
    {
        var result = await StunServerSelection.ResolveAsync(["good.example:3478", "bad.example"], NoEnvironment, null,
            (host, _) => host == "good.example" ? Task.FromResult(new[] { IPAddress.Parse("192.0.2.1") }) : throw new System.Net.Sockets.SocketException(11001),
            TestContext.Current.CancellationToken);
        Assert.Null(result.Error);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("192.0.2.1"), 3478)], result.Servers);
    }
}
