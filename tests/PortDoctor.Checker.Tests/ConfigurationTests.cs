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

    [Theory]
    [InlineData("\"http://127.0.0.1:18090\"")]                              // one string in the file
    [InlineData("[\"http://127.0.0.1:18090\", \"http://127.0.0.1:18095\"]")] // an array, longer than the flag's
    public void A_list_given_by_a_flag_replaces_the_files_list_whole(string fileUrls)
    {
        string file = Path.Combine(Path.GetTempPath(), $"checker-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, $$"""{ "Checker": { "Urls": {{fileUrls}}, "TrustedProxies": "10.0.0.1" } }""");
        try
        {
            IConfigurationRoot config = CheckerConfiguration.Compose(file, [new("Checker:Urls:0", "http://127.0.0.1:18091"), new("Checker:TrustedProxies:0", "127.0.0.1")]);
            Assert.True(CheckerConfiguration.TryRead(config, out CheckerOptions? options, out IReadOnlyList<string> errors), string.Join("\n", errors));
            Assert.Equal(["http://127.0.0.1:18091"], options.Urls);
            Assert.Equal([IPNetwork.Parse("127.0.0.1/32")], options.TrustedProxies);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("""{ "Chekcer": { "AllowPrivate": true } }""", "unknown section 'Chekcer'")]
    [InlineData("""{ "Checker": { "Urls": "ftp://127.0.0.1:8080" } }""", "'ftp://127.0.0.1:8080' is not a listen URL")]
    [InlineData("""{ "Checker": { "Urls": ["--allow-privat"] } }""", "check its spelling")]
    [InlineData("""{ "Checker": { "Urls": ["http://127.0.0.1:8080/base"] } }""", "is not a listen URL")]
    public void Mistakes_in_the_file_are_named_not_ignored(string json, string expected)
    {
        string file = Path.Combine(Path.GetTempPath(), $"checker-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json);
        try
        {
            Assert.False(CheckerConfiguration.TryRead(CheckerConfiguration.Compose(file, null), out _, out IReadOnlyList<string> errors));
            Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("http://*:8080")]
    [InlineData("http://+:8080")]
    [InlineData("http://[::]:8080")]
    [InlineData("https://checker.example:443")]
    public void Kestrel_url_forms_are_accepted(string url) =>
        Assert.True(CheckerConfiguration.TryRead(CheckerConfiguration.Compose(null, [new("Checker:Urls:0", url)]), out _, out IReadOnlyList<string> errors), string.Join("\n", errors));

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
