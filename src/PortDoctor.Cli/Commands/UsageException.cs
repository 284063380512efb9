using PortDoctor.Core.Localization;

namespace PortDoctor.Cli.Commands;

/// <summary>A command-line value is wrong; the text names it and the fix. Exit code 2.</summary>
internal sealed class UsageException(Text text) : Exception(text.ToString())
{
    public Text Text { get; } = text;
}
