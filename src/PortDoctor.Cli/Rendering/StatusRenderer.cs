using System.Globalization;
using System.Text.Json;
using PortDoctor.Core.Inputs;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Reports;

namespace PortDoctor.Cli.Rendering;

/// <summary>Prints <c>portdoctor status</c>: addresses, routers, the public address and what PortDoctor holds.</summary>
internal static class StatusRenderer
{
    /// <summary>How status reports are printed; status always exits 0 (problems are notes).</summary>
    public static readonly ReportFormat<StatusReport> Format = new(
        _ => ExitCodes.Success,
        (o, r, _, globals) => Write(o, r, globals.Language, globals.Verbose),
        r => JsonSerializer.Serialize(JsonStatusReport.From(r), CliJsonContext.Default.JsonStatusReport));

    public static void Write(TextWriter o, StatusReport r, UiLanguage l, bool verbose)
    {
        string T(string key, params object?[] args) => Localizer.Format(Text.Of(key, args), l);
        o.WriteLine(T("Render.Status.Lan", r.LanAddress is null ? Text.Of("Render.Status.NoNetwork") : $"{r.LanAddress} ({r.Interface})"));
        o.WriteLine(T("Render.Status.Router", r.Gateway ?? "-"));
        if (r.Routers.Count == 0)
        {
            o.WriteLine(T("Render.Status.NoMapping"));
        }

        foreach (var router in r.Routers)
        {
            o.WriteLine(T("Render.Status.Mapping", router.Method, router.Description, (object?)router.ExternalAddress ?? Text.Of("Common.Unknown")));
        }

        o.WriteLine(T("Render.Status.Public", (object?)r.PublicAddress ?? Text.Of("Render.Status.PublicUnknown")));
        o.WriteLine();
        WriteHeld(o, r.Held, l);
        foreach (var note in r.Notes)
        {
            o.WriteLine(T("Render.Status.Note", note));
        }

        if (verbose)
        {
            foreach (var line in r.ProbeLog)
            {
                o.WriteLine("  " + line);
            }
        }
    }

    /// <summary>The journal's outstanding changes, one line each, or "holds no changes".</summary>
    public static void WriteHeld(TextWriter o, IReadOnlyList<HeldChange> held, UiLanguage l)
    {
        string T(string key, params object?[] args) => Localizer.Format(Text.Of(key, args), l);
        if (held.Count == 0)
        {
            o.WriteLine(T("Render.Status.NothingHeld"));
            return;
        }

        o.WriteLine(T("Render.Status.HeldHeader"));
        foreach (var h in held)
        {
            var lease = h.LeaseSeconds == 0 ? Text.Of("Common.Permanent") : Text.Of("Common.Verbatim", DurationInput.Format(TimeSpan.FromSeconds(h.LeaseSeconds)));
            string since = h.Since.ToString("u", CultureInfo.InvariantCulture);
            o.WriteLine(h.Kind == "firewall"
                ? T("Render.Status.HeldFirewall", Text.Of("Render.Status.State." + h.State), h.ExternalPort, h.Protocol, h.Method, since)
                : T("Render.Status.Held", Text.Of("Render.Status.State." + h.State), Text.Of("Render.Kind." + h.Kind), h.ExternalPort, h.Protocol, h.InternalClient, h.InternalPort,
                    h.Method, lease, since));
        }
    }
}
