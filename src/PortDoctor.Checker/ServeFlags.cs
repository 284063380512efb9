using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace PortDoctor.Checker;

/// <summary>
/// The flags of <c>portdoctor serve</c> as given on the command line. A flag that was not given is null (or empty),
/// so that the settings file and the environment keep their say (docs/checker.md: later sources win, but only
/// for values actually given).
/// </summary>
/// <param name="SettingsFile">The <c>--config</c> file, or null.</param>
/// <param name="Urls">The <c>--urls</c> values.</param>
/// <param name="TrustedProxies">The <c>--trusted-proxy</c> values.</param>
/// <param name="AllowPrivate"><c>--allow-private</c> when given.</param>
/// <param name="LogFullAddresses"><c>--log-full-addresses</c> when given.</param>
/// <param name="Redis"><c>--redis</c> when given.</param>
public sealed record ServeFlags(string? SettingsFile, IReadOnlyList<string> Urls, IReadOnlyList<string> TrustedProxies, bool? AllowPrivate, bool? LogFullAddresses, string? Redis)
{
    /// <summary>
    /// Turns the flags into checker options: the settings file, then the environment, then the flags given.
    /// </summary>
    /// <param name="options">The options when everything was valid.</param>
    /// <param name="errors">One line per problem, naming the flag or key and the fix (without a program-name prefix).</param>
    /// <returns>True when the options are usable.</returns>
    public bool TryBuild([NotNullWhen(true)] out CheckerOptions? options, out IReadOnlyList<string> errors)
    {
        options = null;
        if (!TryOverrides(out var overrides, out string? flagError))
        {
            errors = [flagError];
            return false;
        }

        if (SettingsFile is not null && !File.Exists(SettingsFile))
        {
            string why = Directory.Exists(SettingsFile) ? "is a folder" : "does not exist";
            errors = [$"--config: '{SettingsFile}' {why}. Give the path of a JSON file with a \"Checker\" section."];
            return false;
        }

        IConfigurationRoot configuration;
        try
        {
            configuration = CheckerConfiguration.Compose(SettingsFile, overrides);
        }
        catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException)
        {
            string where = ex.InnerException is { } inner ? " " + inner.Message : string.Empty;
            errors = [$"--config: {ex.Message}{where} Fix the file (a JSON object with a \"Checker\" section)."];
            return false;
        }

        return CheckerConfiguration.TryRead(configuration, out options, out errors);
    }

    /// <summary>The configuration keys for the flags actually given, keyed like <c>Checker:AllowPrivate</c>.</summary>
    /// <param name="overrides">The keys and values.</param>
    /// <param name="error">The first flag whose value is unusable, with the fix.</param>
    /// <returns>False when a flag value is unusable.</returns>
    public bool TryOverrides(out IReadOnlyList<KeyValuePair<string, string?>> overrides, [NotNullWhen(false)] out string? error)
    {
        string section = CheckerConfiguration.SectionName;
        var list = new List<KeyValuePair<string, string?>>();
        overrides = list;
        for (int i = 0; i < Urls.Count; i++)
        {
            list.Add(new($"{section}:Urls:{i.ToString(CultureInfo.InvariantCulture)}", Urls[i]));
        }

        for (int i = 0; i < TrustedProxies.Count; i++)
        {
            if (!CheckerConfiguration.TryParseNetwork(TrustedProxies[i], out _, out var proxyError))
            {
                error = $"--trusted-proxy: {proxyError}";
                return false;
            }

            list.Add(new($"{section}:TrustedProxies:{i.ToString(CultureInfo.InvariantCulture)}", TrustedProxies[i]));
        }

        if (AllowPrivate is bool allow)
        {
            list.Add(new($"{section}:AllowPrivate", allow ? "true" : "false"));
        }

        if (LogFullAddresses is bool full)
        {
            list.Add(new($"{section}:LogFullAddresses", full ? "true" : "false"));
        }

        if (Redis is string redis)
        {
            if (string.IsNullOrWhiteSpace(redis))
            {
                error = "--redis: the connection string is empty. Give one such as redis.internal:6379, or leave the option out to count in memory.";
                return false;
            }

            list.Add(new($"{section}:Redis", redis));
        }

        error = null;
        return true;
    }
}
