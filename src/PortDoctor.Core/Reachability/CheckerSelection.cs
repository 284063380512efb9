using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace PortDoctor.Core.Reachability;

/// <summary>Where the checker in use was named.</summary>
public enum CheckerSource
{
    /// <summary>Nowhere: no checker is configured, so nothing outside can confirm reachability.</summary>
    None,

    /// <summary>The <c>--checker</c> option.</summary>
    Flag,

    /// <summary>The <c>PORTDOCTOR_CHECKER</c> environment variable.</summary>
    Environment,

    /// <summary>The <c>checker</c> value of the user's <c>config.json</c>.</summary>
    ConfigFile,
}

/// <summary>The checker to use, where it was named, or why the setting is unusable.</summary>
/// <param name="Endpoint">The checker; null for <see cref="CheckerSource.None"/> and on error.</param>
/// <param name="Source">Where it was named (on error: where the bad value is).</param>
/// <param name="Origin">For people: "--checker", "PORTDOCTOR_CHECKER" or the config file path; null for none.</param>
/// <param name="Error">What is wrong with the named value and how to fix it; null when usable.</param>
public sealed record CheckerSelectionResult(CheckerEndpoint? Endpoint, CheckerSource Source, string? Origin, string? Error)
{
    /// <summary>True when a checker was named and is usable.</summary>
    [MemberNotNullWhen(true, nameof(Endpoint))]
    public bool HasChecker => Endpoint is not null;
}

/// <summary>
/// Picks the outside checker: the <c>--checker</c> option, else <c>PORTDOCTOR_CHECKER</c>, else the
/// <c>checker</c> value in <c>config.json</c> in the user's config folder, else none. A bad value at the
/// first level that has one is an error; it never falls through to a lower level silently.
/// </summary>
public static class CheckerSelection
{
    /// <summary>The environment variable that names a checker.</summary>
    public const string EnvironmentVariable = "PORTDOCTOR_CHECKER";

    /// <summary>The name of the config file in the user's PortDoctor config folder.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>The largest config file read, in bytes; it holds a few settings, so more is a mistake.</summary>
    public const int MaxConfigBytes = 64 * 1024;

    /// <summary>How a user names a checker, for messages when none is configured.</summary>
    public const string HowToNameAChecker =
        "Name a checker with --checker URL, the PORTDOCTOR_CHECKER environment variable, or {\"checker\": \"URL\"} in config.json " +
        "(URL, portdoctor:URL, transmission:URL or echoip:URL); you can run your own with `portdoctor serve` on a host on the internet.";

    /// <summary>Resolves the checker in precedence order: flag, environment, config file.</summary>
    /// <param name="flag">The <c>--checker</c> value, or null when not given.</param>
    /// <param name="getEnvironment">Reads an environment variable (the seam for tests); empty counts as unset.</param>
    /// <param name="configFilePath">The config file (see <see cref="DefaultConfigFilePath"/>), or null to skip it; a missing file counts as unset.</param>
    /// <returns>The checker and its source, <see cref="CheckerSource.None"/>, or an error. Never throws for bad values or unreadable files.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="getEnvironment"/> is null.</exception>
    public static CheckerSelectionResult Resolve(string? flag, Func<string, string?> getEnvironment, string? configFilePath)
    {
        ArgumentNullException.ThrowIfNull(getEnvironment);
        if (flag is not null)
        {
            return FromText(flag, CheckerSource.Flag, "--checker");
        }

        string? env = getEnvironment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            return FromText(env, CheckerSource.Environment, EnvironmentVariable);
        }

        if (configFilePath is null)
        {
            return new CheckerSelectionResult(null, CheckerSource.None, null, null);
        }

        string json;
        try
        {
            var info = new FileInfo(configFilePath);
            if (!info.Exists)
            {
                return new CheckerSelectionResult(null, CheckerSource.None, null, null);
            }

            if (info.Length > MaxConfigBytes)
            {
                return new CheckerSelectionResult(null, CheckerSource.ConfigFile, configFilePath,
                    $"{configFilePath} is larger than {MaxConfigBytes} bytes; it should hold only a few settings such as {{\"checker\": \"URL\"}}.");
            }

            json = File.ReadAllText(configFilePath, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new CheckerSelectionResult(null, CheckerSource.ConfigFile, configFilePath,
                $"Cannot read {configFilePath}: {ex.Message}. Fix its permissions, or name a checker with --checker.");
        }

        if (!TryReadConfig(json, out string? value, out string? configError))
        {
            return new CheckerSelectionResult(null, CheckerSource.ConfigFile, configFilePath, $"{configFilePath}: {configError}");
        }

        return value is null
            ? new CheckerSelectionResult(null, CheckerSource.None, null, null)
            : FromText(value, CheckerSource.ConfigFile, configFilePath);
    }

    /// <summary>
    /// The config file path: <c>%APPDATA%\PortDoctor\config.json</c> on Windows; elsewhere
    /// <c>$XDG_CONFIG_HOME/portdoctor/config.json</c>, or <c>~/.config/portdoctor/config.json</c> when
    /// XDG_CONFIG_HOME is unset or not absolute (XDG Base Directory Specification).
    /// </summary>
    /// <param name="getEnvironment">Reads an environment variable.</param>
    /// <param name="isWindows">True on Windows.</param>
    /// <returns>The path, or null when neither APPDATA/XDG_CONFIG_HOME nor a home folder is known.</returns>
    public static string? DefaultConfigFilePath(Func<string, string?> getEnvironment, bool isWindows)
    {
        ArgumentNullException.ThrowIfNull(getEnvironment);
        if (isWindows)
        {
            string? appData = getEnvironment("APPDATA");
            return string.IsNullOrEmpty(appData) ? null : Path.Join(appData, "PortDoctor", ConfigFileName);
        }

        string? xdg = getEnvironment("XDG_CONFIG_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg))
        {
            return Path.Join(xdg, "portdoctor", ConfigFileName);
        }

        string? home = getEnvironment("HOME");
        return string.IsNullOrEmpty(home) ? null : Path.Join(home, ".config", "portdoctor", ConfigFileName);
    }

    /// <summary>Reads the <c>checker</c> value from config file text; other members are left for other settings.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="checker">The value, or null when the file names none.</param>
    /// <param name="error">What is wrong with the file and the fix, when the result is false.</param>
    /// <returns>False when the text is not a JSON object or <c>checker</c> is not a string.</returns>
    public static bool TryReadConfig(string json, out string? checker, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        checker = null;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "the config file must hold a JSON object such as {\"checker\": \"https://check.example\"}.";
                return false;
            }

            if (document.RootElement.TryGetProperty("checker", out JsonElement value))
            {
                if (value.ValueKind != JsonValueKind.String)
                {
                    error = "\"checker\" must be a string such as \"https://check.example\" or \"transmission:https://portcheck.example\".";
                    return false;
                }

                checker = value.GetString();
            }

            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = $"the config file is not valid JSON ({ex.Message}); fix it or delete it.";
            return false;
        }
    }

    private static CheckerSelectionResult FromText(string text, CheckerSource source, string origin) =>
        CheckerEndpoint.TryParse(text, out CheckerEndpoint? endpoint, out string? error)
            ? new CheckerSelectionResult(endpoint, source, origin, null)
            : new CheckerSelectionResult(null, source, origin, $"{origin}: {error}");
}
