using System.Globalization;

namespace PortDoctor.Core.Localization;

/// <summary>
/// A user-facing sentence kept language-independent until it is shown: a resource key plus its
/// arguments. Each argument is an invariant-formatted string or another <see cref="Text"/> (rendered in
/// the same language). <see cref="Localizer"/> turns it into English or Japanese; JSON output carries the
/// key and the arguments.
/// </summary>
public sealed record Text
{
    private Text(string key, IReadOnlyList<object> args)
    {
        Key = key;
        Args = args;
    }

    /// <summary>The resource key (see <c>Localization/StringsEn.resx</c>).</summary>
    public string Key { get; }

    /// <summary>The placeholder values: <see cref="string"/> (invariant-formatted) or <see cref="Text"/>.</summary>
    public IReadOnlyList<object> Args { get; }

    /// <summary>Builds a text; numbers and other values are formatted with the invariant culture, texts are kept.</summary>
    /// <param name="key">The resource key.</param>
    /// <param name="args">Values for the key's <c>{0}</c>, <c>{1}</c>… placeholders.</param>
    /// <returns>The text.</returns>
    public static Text Of(string key, params object?[] args) =>
        new(key, args.Select(a => a switch
        {
            null => string.Empty,
            Text nested => (object)nested,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => a.ToString() ?? string.Empty,
        }).ToArray());

    /// <summary>The English rendering, for logs and exceptions.</summary>
    /// <returns>The English sentence.</returns>
    public override string ToString() => Localizer.Format(this, UiLanguage.English);
}
