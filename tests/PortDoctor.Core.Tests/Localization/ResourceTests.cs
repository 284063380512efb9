using System.Text.RegularExpressions;
using System.Xml.Linq;
using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Tests.Localization;

public partial class ResourceTests
{
    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PortDoctor.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("PortDoctor.slnx not found above " + AppContext.BaseDirectory);
    }

    private static Dictionary<string, string> Load(string language) =>
        XDocument.Load(Path.Combine(Root(), "src", "PortDoctor.Core", "Localization", $"Strings{language}.resx"))
            .Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal);

    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"Text\.Of\(\s*""([A-Za-z0-9_.]+)""\s*[,)]")]
    private static partial Regex KeyUse();

    [Fact]
    public void Every_key_exists_in_both_languages_and_is_not_empty()
    {
        var en = Load("En");
        var ja = Load("Ja");
        Assert.Empty(en.Keys.Except(ja.Keys));
        Assert.Empty(ja.Keys.Except(en.Keys));
        Assert.Empty(en.Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => "en:" + p.Key));
        Assert.Empty(ja.Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => "ja:" + p.Key));
    }

    [Fact]
    public void Both_languages_use_the_same_placeholders()
    {
        var en = Load("En");
        var ja = Load("Ja");
        var mismatched = en.Keys
            .Where(k => !Placeholder().Matches(en[k]).Select(m => m.Value).ToHashSet().SetEquals(Placeholder().Matches(ja[k]).Select(m => m.Value)))
            .ToList();
        Assert.Empty(mismatched);
    }

    [Fact]
    public void Japanese_texts_are_japanese()
    {
        // Not a translation check, a guard against a copied English line: every sentence-like Japanese
        // text contains at least one kana or kanji.
        var ja = Load("Ja");
        var english = ja.Where(p => Placeholder().Replace(p.Value, "").Length > 12 && !p.Value.Any(c => c is >= '\u3040' and <= '\u30ff' or >= '\u4e00' and <= '\u9fff')).Select(p => p.Key);
        Assert.Empty(english);
    }

    [Fact]
    public void Every_key_the_code_uses_exists()
    {
        var en = Load("En");
        var used = Directory.EnumerateFiles(Path.Combine(Root(), "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => KeyUse().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value)))
            .Where(u => !en.ContainsKey(u.Key))
            .Select(u => $"{u.File}: {u.Key}")
            .ToList();
        Assert.Empty(used);
    }

    [Fact]
    public void Formats_in_both_languages_with_nested_texts()
    {
        var text = Text.Of("Gateway.NoneAnswered", 250, Text.Of("Close.Summary.NothingToUndo"));
        Assert.Equal("No UPnP/NAT-PMP/PCP gateway answered within 250 ms. Nothing to undo.", Localizer.Format(text, UiLanguage.English));
        string ja = Localizer.Format(text, UiLanguage.Japanese);
        Assert.Contains("250", ja, StringComparison.Ordinal);
        Assert.Contains("元に戻すものはありません", ja, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ja", UiLanguage.Japanese)]
    [InlineData("ja-JP", UiLanguage.Japanese)]
    [InlineData("EN", UiLanguage.English)]
    [InlineData("en_US", UiLanguage.English)]
    public void Parses_language_names(string text, UiLanguage expected)
    {
        Assert.True(UiLanguages.TryParse(text, out var language));
        Assert.Equal(expected, language);
    }

    [Fact]
    public void Unknown_language_names_are_refused() => Assert.False(UiLanguages.TryParse("fr", out _));

    [Theory]
    [InlineData("ja_JP.UTF-8", null, null, UiLanguage.Japanese)]
    [InlineData("en_US.UTF-8", "ja_JP.UTF-8", null, UiLanguage.Japanese)]
    [InlineData("ja_JP.UTF-8", null, "C", UiLanguage.English)]
    [InlineData(null, null, null, UiLanguage.English)]
    public void Os_language_follows_posix_precedence(string? lang, string? lcMessages, string? lcAll, UiLanguage expected)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Windows reads the UI language from the OS, not the environment");
        }

        var env = new Dictionary<string, string?> { ["LANG"] = lang, ["LC_MESSAGES"] = lcMessages, ["LC_ALL"] = lcAll };
        Assert.Equal(expected, UiLanguages.FromOs(n => env.GetValueOrDefault(n)));
    }
}
