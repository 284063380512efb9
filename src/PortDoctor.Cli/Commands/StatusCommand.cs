using System.CommandLine;
using System.Text.Json;
using PortDoctor.Cli.Rendering;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Reports;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Cli.Commands;

/// <summary><c>portdoctor status</c>.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var checker = new Option<string?>("--checker") { Description = "Outside checker used to learn the public address.", HelpName = "URL" };
        var command = new Command("status", "Show the router, addresses and what PortDoctor holds.") { checker };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            bool json = parse.GetValue(GlobalOptions.Json);
            var language = CommandRunner.LanguageOf(parse);
            StatusReport report;
            try
            {
                var globals = CommandRunner.ReadGlobals(parse);
                report = await new StatusWorkflow(CommandRunner.Context(globals, parse.GetValue(checker))).RunAsync(globals.Gateway, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is UsageException or JournalException)
            {
                return CommandRunner.WriteFailure(parse, ex, json, language);
            }

            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(JsonStatusReport.From(report), CliJsonContext.Default.JsonStatusReport));
            }
            else
            {
                Write(output, report, language, parse.GetValue(GlobalOptions.Verbose));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Write(TextWriter o, StatusReport r, UiLanguage l, bool verbose)
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
        if (r.Held.Count == 0)
        {
            o.WriteLine(T("Render.Status.NothingHeld"));
        }
        else
        {
            o.WriteLine(T("Render.Status.HeldHeader"));
            foreach (var h in r.Held)
            {
                var lease = h.LeaseSeconds == 0 ? Text.Of("Common.Permanent") : Text.Of("Common.Verbatim", Core.Inputs.DurationInput.Format(TimeSpan.FromSeconds(h.LeaseSeconds)));
                string since = h.Since.ToString("u", System.Globalization.CultureInfo.InvariantCulture);
                o.WriteLine(h.Kind == "firewall"
                    ? T("Render.Status.HeldFirewall", Text.Of("Render.Status.State." + h.State), h.ExternalPort, h.Protocol, h.Method, since)
                    : T("Render.Status.Held", Text.Of("Render.Status.State." + h.State), Text.Of("Render.Kind." + h.Kind), h.ExternalPort, h.Protocol, h.InternalClient, h.InternalPort,
                        h.Method, lease, since));
            }
        }

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
}
