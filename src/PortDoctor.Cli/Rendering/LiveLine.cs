using System.Text;

namespace PortDoctor.Cli.Rendering;

/// <summary>
/// One line on a terminal that is rewritten in place (carriage return, then the new text padded over the old) and
/// cleared before the next real line, so a slow wait can show that something is happening without filling the screen.
/// </summary>
internal sealed class LiveLine
{
    private readonly TextWriter _output;
    private readonly int _columns;
    private int _shownColumns;

    /// <summary>Creates the line over a terminal's output.</summary>
    /// <param name="output">The terminal.</param>
    /// <param name="width">The terminal's width in columns: a longer line would wrap, and a carriage return only goes back to the start of the last row.</param>
    public LiveLine(TextWriter output, int width)
    {
        _output = output;
        _columns = Math.Max(10, width - 1);
    }

    /// <summary>True while something is shown.</summary>
    public bool IsShown => _shownColumns > 0;

    /// <summary>Shows <paramref name="text"/> in place of what the line showed.</summary>
    /// <param name="text">The text; cut to the terminal's width.</param>
    public void Show(string text)
    {
        string fitted = Fit(text, _columns, out int columns);
        var line = new StringBuilder().Append('\r').Append(fitted);
        if (_shownColumns > columns)
        {
            line.Append(' ', _shownColumns - columns).Append('\r').Append(fitted);
        }

        _output.Write(line.ToString());
        _output.Flush();
        _shownColumns = Math.Max(columns, 1);
    }

    /// <summary>Blanks the line and puts the cursor back at its start, ready for an ordinary line.</summary>
    public void Clear()
    {
        if (_shownColumns == 0)
        {
            return;
        }

        _output.Write("\r" + new string(' ', _shownColumns) + "\r");
        _output.Flush();
        _shownColumns = 0;
    }

    /// <summary>How many terminal columns a character takes: East Asian wide and full-width characters take two.</summary>
    internal static int Width(char c) => c switch
    {
        >= '\u1100' and <= '\u115f' => 2,
        >= '\u2e80' and <= '\ua4cf' => 2,
        >= '\uac00' and <= '\ud7a3' => 2,
        >= '\uf900' and <= '\ufaff' => 2,
        >= '\ufe30' and <= '\ufe4f' => 2,
        >= '\uff00' and <= '\uff60' => 2,
        >= '\uffe0' and <= '\uffe6' => 2,
        _ when char.IsControl(c) => 0,
        _ => 1,
    };

    private static string Fit(string text, int columns, out int used)
    {
        used = 0;
        var fitted = new StringBuilder();
        foreach (char c in text)
        {
            int w = Width(c);
            if (used + w > columns)
            {
                break;
            }

            if (w > 0)
            {
                fitted.Append(c);
                used += w;
            }
        }

        return fitted.ToString();
    }
}
