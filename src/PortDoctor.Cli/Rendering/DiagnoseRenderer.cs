using System.Globalization;
using System.Text.Json;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Localization;

namespace PortDoctor.Cli.Rendering;

/// <summary>Prints a diagnosis for people: the findings, then how long it took, the root cause and the next step.</summary>
internal static class DiagnoseRenderer
{
    /// <summary>How diagnose reports are printed and what they exit with.</summary>
    public static readonly ReportFormat<DiagnoseReport> Format = new(
        r => r.ExitCode,
        (o, r, shown, globals) => Write(o, r, globals.Language, globals.Verbose, shown),
        r => JsonSerializer.Serialize(JsonDiagnoseReport.From(r), CliJsonContext.Default.JsonDiagnoseReport));

    /// <summary>
    /// Prints the findings not yet <paramref name="shown"/> while diagnose ran (most important first), then the header
    /// with the elapsed time and the verdict line. Findings printed live came in the order they were found.
    /// </summary>
    public static void Write(TextWriter o, DiagnoseReport r, UiLanguage l, bool verbose, Func<object, bool>? shown = null)
    {
        foreach (var f in r.Findings)
        {
            if (shown is null || !shown(f))
            {
                WriteFinding(o, f, verbose, l, withFix: !ReferenceEquals(f, r.RootCause));
            }
        }

        o.WriteLine();
        string target = r.Port is int p ? string.Create(CultureInfo.InvariantCulture, $"{p}/{r.Protocol}") : Localizer.Get("Render.Diag.Network", l);
        o.WriteLine(Localizer.Format(Text.Of("Render.Diag.Header", target, r.ElapsedMs), l));
        string label = r.RootCause is not null ? Localizer.Get("Render.Diag.RootCause", l) + " [" + r.RootCause.Id + "]"
            : r.Confirmed ? Localizer.Get("Render.Diag.AllFine", l) : Localizer.Get("Render.Verdict.Unconfirmed", l);
        o.WriteLine(Localizer.Format(Text.Of("Render.VerdictLine", label, Localizer.Format(r.Verdict, l).TrimEnd()), l));
    }

    /// <summary>One finding, its fix (for warnings and faults, unless <paramref name="withFix"/> is false) and with --verbose its evidence.</summary>
    public static void WriteFinding(TextWriter o, Finding f, bool verbose, UiLanguage l, bool withFix)
    {
        o.WriteLine($"{Localizer.Get("Render.Severity." + f.Severity, l)} {Localizer.Format(f.Message, l).TrimEnd()}");
        if (withFix && f.Fix is not null && f.Severity != Severity.Info)
        {
            o.WriteLine("          " + Localizer.Format(Text.Of("Render.Diag.Fix", f.Fix), l));
        }

        if (verbose)
        {
            foreach (var (key, value) in f.Evidence)
            {
                o.WriteLine($"          {key}: {value}");
            }
        }
    }
}
