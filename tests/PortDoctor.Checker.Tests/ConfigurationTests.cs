using System.Net;
using Microsoft.Extensions.Configuration;

namespace PortDoctor.Checker.Tests;

/// <summary>Settings from a JSON file, PORTDOCTOR_ environment variables and flag overrides. Kept in one class: xunit runs it serially, and it sets process environment variables.</summary>
public class ConfigurationTests
{
    [Fact]
    public void File_then_environment_then_flags_with_later_sources_winning()
    {
        string file = Path.Combine(Path.GetTempPath(), $"checker-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """
            { "Checker": {
                "Urls": ["http://127.0.0.1:8081", "http://[::1]:8081"],
                "AllowPrivate": true,
                "TrustedProxies": ["10.0.0.5", "2001:db8::/64"],
                "ConnectTimeout": "00:00:02",
                "RateLimitPermits": 5,
                "RateLimitWindow": "30s",
                "LogFormat": "json",
                "Redis": "127.0.0.1:6390"
            } }
            """);
        Environment.SetEnvironmentVariable("PORTDOCTOR_Checker__RateLimitPermits", "7");
        Environment.SetEnvironmentVariable("PORTDOCTOR_Checker__RequestHeadersTimeout", "1500ms");
        try
        {
            IConfigurationRoot config = CheckerConfiguration.Compose(file, [new("Checker:AllowPrivate", "false"), new("Checker:MaxConcurrentProbes", "9")]);
            Assert.True(CheckerConfiguration.TryRead(config, out CheckerOptions? options, out IReadOnlyList<string> errors), string.Join("\n", errors));

            Assert.Equal(["http://127.0.0.1:8081", "http://[::1]:8081"], options.Urls);
            Assert.False(options.AllowPrivate);                      // flag beats file
            Assert.Equal(7, options.RateLimitPermits);                // environment beats file
            Assert.Equal(9, options.MaxConcurrentProbes);             // flag only
            Assert.Equal(TimeSpan.FromMilliseconds(1500), options.RequestHeadersTimeout);
            Assert.Equal(TimeSpan.FromSeconds(2), options.ConnectTimeout);
            Assert.Equal(TimeSpan.FromSeconds(30), options.RateLimitWindow);
            Assert.Equal(CheckerLogFormat.Json, options.LogFormat);
            Assert.Equal("127.0.0.1:6390", options.Redis);
            Assert.Equal([IPNetwork.Parse("10.0.0.5/32"), IPNetwork.Parse("2001:db8::/64")], options.TrustedProxies);
            Assert.Equal(CheckerOptions.DefaultUdpReplyTimeout, options.UdpReplyTimeout); // untouched default
        }
        finally
        {
            Environment.SetEnvironmentVariable("PORTDOCTOR_Checker__RateLimitPermits", null);
            Environment.SetEnvironmentVariable("PORTDOCTOR_Checker__RequestHeadersTimeout", null);
            File.Delete(file);
        }
    }

    [Fact]
    public void Environment_lists_may_be_separated_by_semicolons()
    {
        Environment.SetEnvironmentVariable("PORTDOCTOR_Checker__TrustedProxies", "10.0.0.1; 10.0.1.0/24");
        try
        {
            Assert.True(CheckerConfiguration.TryRead(CheckerConfiguration.Compose(null, null), out CheckerOptions? options, out _));
            Assert.Equal([IPNetwork.Parse("10.0.0.1/32"), IPNetwork.Parse("10.0.1.0/24")], options.TrustedProxies);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PORTDOCTOR_Checker__TrustedProxies", null);
        }
    }

    [Theory]
    [InlineData("Checker:ConnectTimeout", "soon", "ConnectTimeout")]
    [InlineData("Checker:ConnectTimeout", "0s", "ConnectTimeout")]
    [InlineData("Checker:RateLimitPermits", "-1", "RateLimitPermits")]
    [InlineData("Checker:AllowPrivate", "yes", "AllowPrivate")]
    [InlineData("Checker:TrustedProxies:0", "10.0.0.0/99", "TrustedProxies")]
    [InlineData("Checker:LogFormat", "xml", "LogFormat")]
    [InlineData("Checker:AlowPrivate", "true", "AlowPrivate")]
    [InlineData("Checker:RedisKeyPrefix", " ", "RedisKeyPrefix")]
    public void Bad_values_are_reported_with_key_and_fix(string key, string value, string named)
    {
        IConfigurationRoot config = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();
        Assert.False(CheckerConfiguration.TryRead(config, out _, out IReadOnlyList<string> errors));
        string error = Assert.Single(errors);
        Assert.StartsWith("Checker:" + named + ":", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_settings_file_is_named()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => CheckerConfiguration.Compose("/nonexistent/checker.json", null));
        Assert.Contains("/nonexistent/checker.json", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("3s", 3000)]
    [InlineData("2m", 120_000)]
    [InlineData("00:00:01.5", 1500)]
    public void Durations_parse(string text, int ms)
    {
        Assert.True(CheckerConfiguration.TryParseDuration(text, out TimeSpan value));
        Assert.Equal(TimeSpan.FromMilliseconds(ms), value);
    }
}
