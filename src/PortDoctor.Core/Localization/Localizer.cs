using System.Globalization;
using System.Resources;

namespace PortDoctor.Core.Localization;

/// <summary>
/// Turns <see cref="Text"/> into sentences. Each language is its own resource file compiled into this
/// assembly (StringsEn.resx, StringsJa.resx) rather than a satellite assembly, so a single NativeAOT
/// binary carries both and no culture data is needed at run time.
/// </summary>
public static class Localizer
{
    private static readonly ResourceManager En = new("PortDoctor.Core.Localization.StringsEn", typeof(Localizer).Assembly);
    private static readonly ResourceManager Ja = new("PortDoctor.Core.Localization.StringsJa", typeof(Localizer).Assembly);

    /// <summary>The raw format string for a key, or null when the key is missing in that language.</summary>
    /// <param name="key">The resource key.</param>
    /// <param name="language">The language.</param>
    /// <returns>The format string, or null.</returns>
    public static string? Lookup(string key, UiLanguage language) =>
        (language == UiLanguage.Japanese ? Ja : En).GetString(key, CultureInfo.InvariantCulture);

    /// <summary>Formats a text; a key missing in Japanese falls back to English, a key missing everywhere shows as the key.</summary>
    /// <param name="text">The text.</param>
    /// <param name="language">The language.</param>
    /// <returns>The sentence.</returns>
    public static string Format(Text text, UiLanguage language)
    {
        ArgumentNullException.ThrowIfNull(text);
        string format = Lookup(text.Key, language) ?? Lookup(text.Key, UiLanguage.English) ?? text.Key;
        if (text.Args.Count == 0)
        {
            // Resource texts are composite formats: literal braces are doubled even where nothing is filled in.
            return format.Replace("{{", "{", StringComparison.Ordinal).Replace("}}", "}", StringComparison.Ordinal);
        }

        var args = text.Args.Select(a => a is Text nested ? Format(nested, language) : a).ToArray<object?>();
        try
        {
            // An optional trailing argument left empty ("{1}" for a note) must not leave a space at the end.
            return string.Format(CultureInfo.InvariantCulture, format, args).TrimEnd();
        }
        catch (FormatException)
        {
            return format + " [" + string.Join(", ", args) + "]";
        }
    }

    /// <summary>A plain key with no arguments.</summary>
    /// <param name="key">The resource key.</param>
    /// <param name="language">The language.</param>
    /// <returns>The sentence.</returns>
    public static string Get(string key, UiLanguage language) => Format(Text.Of(key), language);
}
