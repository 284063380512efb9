namespace PortDoctor.Checker.Tests;

/// <summary><c>serve</c>'s flags as configuration: only flags actually given override the file and the environment.</summary>
public class ServeFlagsTests
{
    private static ServeFlags None => new(null, [], [], null, null, null);

    [Fact]
    public void Flags_not_given_add_nothing()
    {
        Assert.True(None.TryOverrides(out var overrides, out _));
        Assert.Empty(overrides);
    }

    [Fact]
    public void Given_flags_become_checker_keys_with_indexed_lists()
    {
        var flags = None with { Urls = ["http://0.0.0.0:8088", "http://[::]:8088"], TrustedProxies = ["10.0.0.0/8"], AllowPrivate = false, LogFullAddresses = true, Redis = "redis:6379" };
        Assert.True(flags.TryOverrides(out var overrides, out _));
        Assert.Equal(
            [
                new("Checker:Urls:0", "http://0.0.0.0:8088"), new("Checker:Urls:1", "http://[::]:8088"), new("Checker:TrustedProxies:0", "10.0.0.0/8"),
                new("Checker:AllowPrivate", "false"), new("Checker:LogFullAddresses", "true"), new KeyValuePair<string, string?>("Checker:Redis", "redis:6379"),
            ],
            overrides);
    }

    [Theory]
    [InlineData("not-a-network", null, "--trusted-proxy:")]
    [InlineData(null, " ", "--redis: the connection string is empty")]
    public void A_bad_flag_value_is_one_line_naming_the_flag(string? proxy, string? redis, string expected)
    {
        var flags = None with { TrustedProxies = proxy is null ? [] : [proxy], Redis = redis };
        Assert.False(flags.TryBuild(out _, out var errors));
        Assert.StartsWith(expected, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void A_settings_file_that_does_not_exist_is_named()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.json");
        Assert.False((None with { SettingsFile = missing }).TryBuild(out _, out var errors));
        Assert.Equal($"--config: '{missing}' does not exist. Give the path of a JSON file with a \"Checker\" section.", Assert.Single(errors));
    }

    [Fact]
    public void The_flag_given_wins_over_the_file()
    {
        string file = Path.Combine(Path.GetTempPath(), $"checker-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "Checker": { "AllowPrivate": true, "RateLimitPermits": 5 } }""");
        try
        {
            Assert.True((None with { SettingsFile = file }).TryBuild(out var fromFile, out var errors), string.Join("\n", errors));
            Assert.True(fromFile.AllowPrivate);
            Assert.True((None with { SettingsFile = file, AllowPrivate = false }).TryBuild(out var flagged, out errors), string.Join("\n", errors));
            Assert.False(flagged.AllowPrivate);
            Assert.Equal(5, flagged.RateLimitPermits);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
