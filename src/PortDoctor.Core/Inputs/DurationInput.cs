using System.Globalization;
using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Inputs;

/// <summary>Parses durations such as <c>90s</c>, <c>30m</c>, <c>2h</c>, <c>1d</c>, <c>3600</c> (seconds) or <c>permanent</c>.</summary>
public static class DurationInput
{
    /// <summary>Parses a duration.</summary>
    /// <param name="text">The user's text.</param>
    /// <param name="value">The duration; <see cref="TimeSpan.Zero"/> for "0" or "permanent".</param>
    /// <param name="error">When invalid: what is wrong and the fix.</param>
    /// <returns>True on success.</returns>
    public static bool TryParse(string? text, out TimeSpan value, out Text? error)
    {
        value = TimeSpan.Zero;
        error = null;
        string t = (text ?? string.Empty).Trim().ToLowerInvariant();
        if (t is "permanent" or "0")
        {
            return true;
        }

        long multiplier = 1;
        if (t.Length > 1 && char.IsLetter(t[^1]))
        {
            multiplier = t[^1] switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, _ => 0 };
            t = t[..^1];
        }

        if (multiplier == 0 || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number <= 0 || number > uint.MaxValue / multiplier)
        {
            error = Text.Of("Input.BadDuration", text);
            return false;
        }

        value = TimeSpan.FromSeconds(number * multiplier);
        return true;
    }

    /// <summary>Formats a duration for people: "permanent", "45s", "30m", "2h", "1d 6h".</summary>
    /// <param name="value">The duration.</param>
    /// <returns>The text.</returns>
    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "permanent";
        }

        if (value.TotalSeconds < 60)
        {
            return $"{(int)value.TotalSeconds}s";
        }

        if (value.TotalMinutes < 60)
        {
            return $"{(int)value.TotalMinutes}m";
        }

        if (value.TotalHours < 24)
        {
            return value.Minutes == 0 ? $"{(int)value.TotalHours}h" : $"{(int)value.TotalHours}h {value.Minutes}m";
        }

        return value.Hours == 0 ? $"{(int)value.TotalDays}d" : $"{(int)value.TotalDays}d {value.Hours}h";
    }
}
