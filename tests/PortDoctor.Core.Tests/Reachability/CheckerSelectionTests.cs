using PortDoctor.Core.Reachability;

namespace PortDoctor.Core.Tests.Reachability;

public sealed class CheckerSelectionTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("pd-sel-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Config(string json)
    {
        string path = Path.Join(dir, "config.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static Func<string, string?> Env(string? checker) => name => name == CheckerSelection.EnvironmentVariable ? checker : null;

    [Fact]
    public void Flag_wins_over_environment_and_config()
    {
        string config = Config("""{"checker":"echoip:https://c.example"}""");
        CheckerSelectionResult result = CheckerSelection.Resolve("transmission:https://a.example", Env("https://b.example"), config);
        Assert.Equal(CheckerSource.Flag, result.Source);
        Assert.Equal("--checker", result.Origin);
        Assert.Equal(CheckerKind.Transmission, result.Endpoint!.Kind);
    }

    [Fact]
    public void Environment_wins_over_config()
    {
        string config = Config("""{"checker":"echoip:https://c.example"}""");
        CheckerSelectionResult result = CheckerSelection.Resolve(null, Env("https://b.example"), config);
        Assert.Equal(CheckerSource.Environment, result.Source);
        Assert.Equal(new Uri("https://b.example/"), result.Endpoint!.BaseUri);
    }

    [Fact]
    public void Config_is_used_when_flag_and_environment_are_absent_or_blank()
    {
        string config = Config("""{ "other": 1, "checker": "echoip:https://c.example" } // comment""");
        CheckerSelectionResult result = CheckerSelection.Resolve(null, Env("  "), config);
        Assert.True(result.HasChecker);
        Assert.Equal(CheckerSource.ConfigFile, result.Source);
        Assert.Equal(config, result.Origin);
        Assert.Equal(CheckerKind.EchoIp, result.Endpoint.Kind);
    }

    [Fact]
    public void None_when_nothing_names_a_checker()
    {
        Assert.Equal(CheckerSource.None, CheckerSelection.Resolve(null, Env(null), Path.Join(dir, "missing.json")).Source);
        Assert.Equal(CheckerSource.None, CheckerSelection.Resolve(null, Env(null), Config("{}")).Source);
        CheckerSelectionResult none = CheckerSelection.Resolve(null, Env(null), null);
        Assert.False(none.HasChecker);
        Assert.Null(none.Error);
    }

    [Fact]
    public void A_bad_value_is_an_error_at_its_level_and_does_not_fall_through()
    {
        string config = Config("""{"checker":"https://c.example"}""");
        CheckerSelectionResult flag = CheckerSelection.Resolve("bogus:x", Env("https://b.example"), config);
        CheckerSelectionResult env = CheckerSelection.Resolve(null, Env("nope"), config);
        Assert.Equal(CheckerSource.Flag, flag.Source);
        Assert.StartsWith("--checker: ", flag.Error, StringComparison.Ordinal);
        Assert.Null(flag.Endpoint);
        Assert.Equal(CheckerSource.Environment, env.Source);
        Assert.StartsWith("PORTDOCTOR_CHECKER: ", env.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1]", "JSON object")]
    [InlineData("""{"checker": 5}""", "must be a string")]
    [InlineData("""{"checker": "gopher:x"}""", "Unknown checker kind")]
    public void A_bad_config_file_is_an_error_naming_the_file(string json, string expected)
    {
        string config = Config(json);
        CheckerSelectionResult result = CheckerSelection.Resolve(null, Env(null), config);
        Assert.Equal(CheckerSource.ConfigFile, result.Source);
        Assert.Contains(config, result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversize_config_file_is_refused()
    {
        string config = Config("{\"pad\":\"" + new string('x', CheckerSelection.MaxConfigBytes) + "\"}");
        Assert.Contains("larger than", CheckerSelection.Resolve(null, Env(null), config).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "/xdg", "/home/u", null, "/xdg/portdoctor/config.json")]
    [InlineData(false, "relative/xdg", "/home/u", null, "/home/u/.config/portdoctor/config.json")]
    [InlineData(false, null, "/home/u", null, "/home/u/.config/portdoctor/config.json")]
    [InlineData(false, null, null, null, null)]
    [InlineData(true, "/xdg", "/home/u", "C:\\Users\\u\\AppData\\Roaming", "C:\\Users\\u\\AppData\\Roaming/PortDoctor/config.json")]
    public void Default_config_path_follows_the_platform(bool windows, string? xdg, string? home, string? appData, string? expected)
    {
        var env = new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = xdg, ["HOME"] = home, ["APPDATA"] = appData };
        string? path = CheckerSelection.DefaultConfigFilePath(name => env.GetValueOrDefault(name), windows);
        Assert.Equal(expected?.Replace('/', Path.DirectorySeparatorChar), path?.Replace('/', Path.DirectorySeparatorChar));
    }
}
