using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace PortDoctor.Checker;

/// <summary>
/// Reads <see cref="CheckerOptions"/> from configuration: a JSON settings file, then environment variables
/// (<c>PORTDOCTOR_Checker__AllowPrivate=true</c>), then command-line flags, later sources winning. Every
/// value is read by hand (no reflection binder), so this stays NativeAOT- and trim-safe.
/// </summary>
public static class CheckerConfiguration
{
    /// <summary>The configuration section that holds the checker's settings.</summary>
    public const string SectionName = "Checker";

    /// <summary>The prefix of the environment variables read, e.g. <c>PORTDOCTOR_Checker__RateLimitPermits</c>.</summary>
    public const string EnvironmentPrefix = "PORTDOCTOR_";

    private static readonly string[] Known =
    [
        nameof(CheckerOptions.Urls), nameof(CheckerOptions.AllowPrivate), nameof(CheckerOptions.TrustedProxies),
        nameof(CheckerOptions.ConnectTimeout), nameof(CheckerOptions.UdpReplyTimeout), nameof(CheckerOptions.MaxConcurrentProbes),
        nameof(CheckerOptions.RateLimitPermits), nameof(CheckerOptions.RateLimitWindow), nameof(CheckerOptions.LogFullAddresses),
        nameof(CheckerOptions.LogFormat), nameof(CheckerOptions.RequestHeadersTimeout), nameof(CheckerOptions.ShutdownTimeout),
        nameof(CheckerOptions.Redis), nameof(CheckerOptions.RedisKeyPrefix), nameof(CheckerOptions.RedisTimeout),
    ];

    /// <summary>Builds the layered configuration: settings file, then <c>PORTDOCTOR_</c> environment variables, then overrides.</summary>
    /// <param name="settingsFile">A JSON file with a <c>"Checker"</c> object, or null for none. When given it must exist.</param>
    /// <param name="overrides">Values from command-line flags, keyed like <c>Checker:AllowPrivate</c>; null for none.</param>
    /// <returns>The configuration; read it with <see cref="TryRead"/>.</returns>
    /// <exception cref="FileNotFoundException"><paramref name="settingsFile"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">The settings file is not valid JSON.</exception>
    public static IConfigurationRoot Compose(string? settingsFile, IEnumerable<KeyValuePair<string, string?>>? overrides)
    {
        var builder = new ConfigurationBuilder();
        if (settingsFile is not null)
        {
            string full = Path.GetFullPath(settingsFile);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException($"The settings file '{full}' does not exist. Pass an existing JSON file, or leave the option out.", full);
            }

            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        try
        {
            return builder.Build();
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"The settings file '{settingsFile}' is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Reads the <see cref="SectionName"/> section into options; missing keys keep their defaults.</summary>
    /// <param name="configuration">The configuration root (the section is looked up here).</param>
    /// <param name="options">The options when every value was valid.</param>
    /// <param name="errors">One line per bad or unknown key, naming the key, the problem and the fix; empty on success.</param>
    /// <returns>True when every value was valid and <see cref="CheckerOptions.Validate"/> passed.</returns>
    public static bool TryRead(IConfiguration configuration, [NotNullWhen(true)] out CheckerOptions? options, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection section = configuration.GetSection(SectionName);
        var problems = new List<string>();
        var result = new CheckerOptions();

        if (configuration is IConfigurationRoot layered)
        {
            foreach (FileConfigurationProvider file in layered.Providers.OfType<FileConfigurationProvider>())
            {
                foreach (string top in file.GetChildKeys([], null).Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    if (!top.Equals(SectionName, StringComparison.OrdinalIgnoreCase))
                    {
                        string path = file.Source.FileProvider is Microsoft.Extensions.FileProviders.PhysicalFileProvider physical
                            ? Path.Combine(physical.Root, file.Source.Path ?? string.Empty)
                            : file.Source.Path ?? "the settings file";
                        problems.Add($"{path}: unknown section '{top}'. The checker's settings go in a \"{SectionName}\" section: {{\"{SectionName}\": {{\"RateLimitPermits\": 10}}}}.");
                    }
                }
            }
        }

        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (!Known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{SectionName}:{child.Key}: unknown setting. Known settings: {string.Join(", ", Known)}.");
            }
        }

        foreach (string url in ReadList(configuration, section, nameof(CheckerOptions.Urls)))
        {
            if (IsListenUrl(url))
            {
                result.Urls.Add(url);
            }
            else
            {
                problems.Add($"{SectionName}:{nameof(CheckerOptions.Urls)}: '{url}' is not a listen URL. Write http://ADDRESS:PORT, for example http://0.0.0.0:8080 or http://[::]:8080" +
                    (url.StartsWith('-') ? $" (if '{url}' is meant as an option, check its spelling: portdoctor serve --help)." : "."));
            }
        }

        foreach (string proxy in ReadList(configuration, section, nameof(CheckerOptions.TrustedProxies)))
        {
            if (TryParseNetwork(proxy, out IPNetwork network, out string? error))
            {
                result.TrustedProxies.Add(network);
            }
            else
            {
                problems.Add($"{SectionName}:{nameof(CheckerOptions.TrustedProxies)}: {error}");
            }
        }

        ReadBool(section, nameof(CheckerOptions.AllowPrivate), v => result.AllowPrivate = v, problems);
        ReadBool(section, nameof(CheckerOptions.LogFullAddresses), v => result.LogFullAddresses = v, problems);
        ReadDuration(section, nameof(CheckerOptions.ConnectTimeout), v => result.ConnectTimeout = v, problems);
        ReadDuration(section, nameof(CheckerOptions.UdpReplyTimeout), v => result.UdpReplyTimeout = v, problems);
        ReadDuration(section, nameof(CheckerOptions.RateLimitWindow), v => result.RateLimitWindow = v, problems);
        ReadDuration(section, nameof(CheckerOptions.RequestHeadersTimeout), v => result.RequestHeadersTimeout = v, problems);
        ReadDuration(section, nameof(CheckerOptions.ShutdownTimeout), v => result.ShutdownTimeout = v, problems);
        ReadDuration(section, nameof(CheckerOptions.RedisTimeout), v => result.RedisTimeout = v, problems);
        ReadInt(section, nameof(CheckerOptions.MaxConcurrentProbes), v => result.MaxConcurrentProbes = v, problems);
        ReadInt(section, nameof(CheckerOptions.RateLimitPermits), v => result.RateLimitPermits = v, problems);

        if (section[nameof(CheckerOptions.LogFormat)] is { } format)
        {
            if (format.Equals("text", StringComparison.OrdinalIgnoreCase)) { result.LogFormat = CheckerLogFormat.Text; }
            else if (format.Equals("json", StringComparison.OrdinalIgnoreCase)) { result.LogFormat = CheckerLogFormat.Json; }
            else { problems.Add($"{SectionName}:{nameof(CheckerOptions.LogFormat)}: '{format}' is not a log format. Use \"text\" or \"json\"."); }
        }

        if (section[nameof(CheckerOptions.Redis)] is { Length: > 0 } redis)
        {
            result.Redis = redis;
        }

        if (section[nameof(CheckerOptions.RedisKeyPrefix)] is { } prefix)
        {
            result.RedisKeyPrefix = prefix;
        }

        if (problems.Count == 0)
        {
            try
            {
                result.Validate();
            }
            catch (ArgumentOutOfRangeException ex)
            {
                problems.Add($"{SectionName}:{ex.ParamName}: must be positive (a duration above zero, a count of at least 1, a non-empty prefix).");
            }
        }

        errors = problems;
        options = problems.Count == 0 ? result : null;
        return options is not null;
    }

    /// <summary>Parses a trusted proxy: a single address (a /32 or /128) or a CIDR block.</summary>
    /// <param name="text">For example <c>10.0.0.5</c>, <c>10.0.0.0/24</c> or <c>2001:db8::/64</c>.</param>
    /// <param name="network">The network when the result is true.</param>
    /// <param name="error">What is wrong and the fix, when the result is false.</param>
    /// <returns>True when the text is an address or CIDR block.</returns>
    public static bool TryParseNetwork(string? text, out IPNetwork network, [NotNullWhen(false)] out string? error)
    {
        string t = (text ?? string.Empty).Trim();
        string cidr = t.Contains('/', StringComparison.Ordinal) ? t : t + (t.Contains(':', StringComparison.Ordinal) ? "/128" : "/32");
        if (t.Length > 0 && IPNetwork.TryParse(cidr, out network))
        {
            error = null;
            return true;
        }

        network = default;
        error = $"'{text}' is not an address or CIDR block. Write for example 10.0.0.5 or 10.0.0.0/24.";
        return false;
    }

    // Kestrel's URL forms: http or https, a host (an address, a name, or * / + for every address) and a port.
    private static bool IsListenUrl(string url)
    {
        string probe = url.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal);
        return Uri.TryCreate(probe, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Length > 0 && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query);
    }

    /// <summary>Parses a duration: <c>hh:mm:ss[.fff]</c>, or a whole number with <c>ms</c>, <c>s</c> or <c>m</c> (<c>500ms</c>, <c>3s</c>, <c>1m</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The duration when the result is true.</param>
    /// <returns>True when the text is a duration.</returns>
    public static bool TryParseDuration(string? text, out TimeSpan value)
    {
        string t = (text ?? string.Empty).Trim();
        if (t.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParseExact(t, "c", CultureInfo.InvariantCulture, out value);
        }

        (string digits, double unitMs) = t.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (t[..^2], 1d)
            : t.EndsWith('s') || t.EndsWith('S') ? (t[..^1], 1000d)
            : t.EndsWith('m') || t.EndsWith('M') ? (t[..^1], 60_000d)
            : (string.Empty, 0d);
        if (unitMs > 0 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long number) && number <= int.MaxValue)
        {
            value = TimeSpan.FromMilliseconds(number * unitMs);
            return true;
        }

        value = default;
        return false;
    }

    // A list is either array children (Urls:0, Urls:1; JSON arrays) or one value separated by ';' or ','
    // (environment variables). The last source that sets the list wins whole: merged item by item, a flag's
    // one URL would replace only the file's first one and keep the rest.
    private static IEnumerable<string> ReadList(IConfiguration configuration, IConfigurationSection section, string key)
    {
        string path = ConfigurationPath.Combine(SectionName, key);
        IEnumerable<string?> raw = [];
        if (configuration is IConfigurationRoot root)
        {
            foreach (IConfigurationProvider provider in root.Providers.Reverse())
            {
                string[] children = [.. provider.GetChildKeys([], path).Distinct(StringComparer.OrdinalIgnoreCase).Order(ConfigurationKeyComparer.Instance)];
                if (children.Length > 0)
                {
                    raw = children.Select(c => provider.TryGet(ConfigurationPath.Combine(path, c), out string? v) ? v : null);
                    break;
                }

                if (provider.TryGet(path, out string? single))
                {
                    raw = (single ?? string.Empty).Split([';', ','], StringSplitOptions.RemoveEmptyEntries);
                    break;
                }
            }
        }
        else
        {
            IConfigurationSection list = section.GetSection(key);
            raw = list.Value is { } single
                ? single.Split([';', ','], StringSplitOptions.RemoveEmptyEntries)
                : list.GetChildren().Select(c => c.Value);
        }

        return raw.Select(v => v?.Trim()).Where(v => !string.IsNullOrEmpty(v))!;
    }

    private static void ReadBool(IConfigurationSection section, string key, Action<bool> set, List<string> problems) =>
        Read(section, key, static (string text, out bool value) => bool.TryParse(text.Trim(), out value), set, "is not true or false.", problems);

    private static void ReadInt(IConfigurationSection section, string key, Action<int> set, List<string> problems) =>
        Read(
            section,
            key,
            static (string text, out int value) => int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1,
            set,
            "is not a whole number of at least 1.",
            problems);

    private static void ReadDuration(IConfigurationSection section, string key, Action<TimeSpan> set, List<string> problems) =>
        Read(
            section,
            key,
            static (string text, out TimeSpan value) => TryParseDuration(text, out value) && value > TimeSpan.Zero,
            set,
            "is not a positive duration. Write for example 3s, 500ms, 1m or 00:00:03.",
            problems);

    /// <summary>Sets the value of <paramref name="key"/> when it parses; an absent key keeps the default, a bad one is a problem.</summary>
    private static void Read<T>(IConfigurationSection section, string key, ValueParser<T> parse, Action<T> set, string expected, List<string> problems)
    {
        if (section[key] is not { } text)
        {
            return;
        }

        if (parse(text, out T value))
        {
            set(value);
        }
        else
        {
            problems.Add($"{SectionName}:{key}: '{text}' {expected}");
        }
    }

    private delegate bool ValueParser<T>(string text, out T value);
}
