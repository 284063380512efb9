using System.Text;

namespace PortDoctor.Core.Processes;

/// <summary>Formats commands for people to read or copy into a terminal.</summary>
internal static class CommandLineText
{
    /// <summary>
    /// Joins a program and its arguments into one line, single-quoting (POSIX style) any argument that
    /// holds a space or a shell special character, so that the line can be pasted into sh/bash.
    /// </summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>The line.</returns>
    public static string Join(string fileName, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        var text = new StringBuilder(Quote(fileName));
        foreach (var argument in arguments)
        {
            text.Append(' ').Append(Quote(argument));
        }

        return text.ToString();
    }

    /// <summary>Quotes one argument for a POSIX shell when it needs quoting.</summary>
    /// <param name="argument">The argument.</param>
    /// <returns>The argument, unchanged when it is plain.</returns>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        bool plain = argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@%+".Contains(c, StringComparison.Ordinal));
        return plain ? argument : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
