using System.Runtime.InteropServices;

namespace PortDoctor.Core.Localization;

/// <summary>The languages PortDoctor speaks.</summary>
public enum UiLanguage
{
    /// <summary>English.</summary>
    English,

    /// <summary>Japanese (日本語).</summary>
    Japanese,
}

/// <summary>Chooses the language: <c>--lang</c>, else the OS UI language.</summary>
public static partial class UiLanguages
{
    /// <summary>Parses "ja"/"en" (also "ja-JP", "en_US", any case).</summary>
    /// <param name="text">The value.</param>
    /// <param name="language">The language.</param>
    /// <returns>True for a supported language.</returns>
    public static bool TryParse(string? text, out UiLanguage language)
    {
        string t = (text ?? string.Empty).Trim().ToLowerInvariant();
        if (t.StartsWith("ja", StringComparison.Ordinal))
        {
            language = UiLanguage.Japanese;
            return true;
        }

        language = UiLanguage.English;
        return t.StartsWith("en", StringComparison.Ordinal);
    }

    /// <summary>
    /// The OS UI language: on Windows the user's UI language (GetUserDefaultUILanguage); elsewhere the POSIX
    /// locale variables in their order of precedence (LC_ALL, LC_MESSAGES, LANG). Japanese when it is Japanese,
    /// else English.
    /// </summary>
    /// <param name="getEnvironment">Reads an environment variable (tests pass a fake).</param>
    /// <returns>The language.</returns>
    public static UiLanguage FromOs(Func<string, string?> getEnvironment)
    {
        ArgumentNullException.ThrowIfNull(getEnvironment);
        if (OperatingSystem.IsWindows())
        {
            // LANGID primary language 0x11 = Japanese.
            return (GetUserDefaultUILanguage() & 0x3FF) == 0x11 ? UiLanguage.Japanese : UiLanguage.English;
        }

        foreach (var name in (string[])["LC_ALL", "LC_MESSAGES", "LANG"])
        {
            string? value = getEnvironment(name);
            if (!string.IsNullOrEmpty(value))
            {
                return value.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? UiLanguage.Japanese : UiLanguage.English;
            }
        }

        return UiLanguage.English;
    }

    [LibraryImport("kernel32.dll")]
    private static partial ushort GetUserDefaultUILanguage();
}
