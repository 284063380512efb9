using System.Globalization;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Localization;

namespace PortDoctor.Cli.Rendering;

/// <summary>Prints a diagnosis for people: the findings, most important first, then the root cause and the next step.</summary>
internal static class DiagnoseRenderer
{
    public static void Write(TextWriter o, DiagnoseReport r, UiLanguage l, bool verbose)
    {
        string target = r.Port is int p ? string.Create(CultureInfo.InvariantCulture, $"{p}/{r.Protocol}") : Localizer.Get("Render.Diag.Network", l);
        o.WriteLine(Localizer.Format(Text.Of("Render.Diag.Header", target, r.ElapsedMs), l));
        foreach (var f in r.Findings)
        {
            o.WriteLine($"{Localizer.Get("Render.Severity." + f.Severity, l)} {Localizer.Format(f.Message, l).TrimEnd()}");
            if (f.Fix is not null && f.Severity != Severity.Info && !ReferenceEquals(f, r.RootCause))
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

        o.WriteLine();
        string label = r.RootCause is null ? Localizer.Get("Render.Diag.AllFine", l) : Localizer.Get("Render.Diag.RootCause", l) + " [" + r.RootCause.Id + "]";
        o.WriteLine(Localizer.Format(Text.Of("Render.VerdictLine", label, Localizer.Format(r.Verdict, l).TrimEnd()), l));
    }
}
