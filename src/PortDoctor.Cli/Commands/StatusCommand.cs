using System.CommandLine;
using System.Text.Json;
using PortDoctor.Cli.Rendering;
using PortDoctor.Core.Journal;
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
            StatusReport report;
            try
            {
                var globals = new Globals(json, parse.GetValue(GlobalOptions.Verbose), null, null, parse.GetValue(GlobalOptions.StateDir));
                string? gw = parse.GetValue(GlobalOptions.Gateway);
                System.Net.IPAddress? gateway = null;
                if (gw is not null && !System.Net.IPAddress.TryParse(gw, out gateway))
                {
                    ReportRenderer.WriteError(output, parse.InvocationConfiguration.Error, "usage", $"--gateway '{gw}' is not an IP address.", ExitCodes.Usage, json);
                    return ExitCodes.Usage;
                }

                report = await new StatusWorkflow(CommandRunner.Context(globals, parse.GetValue(checker))).RunAsync(gateway, ct).ConfigureAwait(false);
            }
            catch (JournalException ex)
            {
                ReportRenderer.WriteError(output, parse.InvocationConfiguration.Error, "environment", ex.Message, ExitCodes.Environment, json);
                return ExitCodes.Environment;
            }

            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.StatusReport));
            }
            else
            {
                Write(output, report);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Write(TextWriter o, StatusReport r)
    {
        o.WriteLine($"This PC (LAN):     {r.LanAddress ?? "no network"}{(r.Interface is null ? "" : " on " + r.Interface)}");
        o.WriteLine($"Router (gateway):  {r.Gateway ?? "-"}");
        if (r.Routers.Count == 0)
        {
            o.WriteLine("Port mapping:      no UPnP/NAT-PMP/PCP answer");
        }

        foreach (var router in r.Routers)
        {
            o.WriteLine($"Port mapping:      {router.Method}: {router.Description}, external address {router.ExternalAddress ?? "unknown"}");
        }

        o.WriteLine($"Public address:    {r.PublicAddress ?? "unknown (no checker named)"}");
        o.WriteLine();
        if (r.Held.Count == 0)
        {
            o.WriteLine("PortDoctor holds no changes.");
        }
        else
        {
            o.WriteLine("Changes PortDoctor holds (remove with 'portdoctor close PORT' or 'portdoctor undo'):");
            foreach (var h in r.Held)
            {
                string lease = h.LeaseSeconds == 0 ? "permanent" : Core.Inputs.DurationInput.Format(TimeSpan.FromSeconds(h.LeaseSeconds));
                o.WriteLine($"  {h.State,-8} {h.Kind} {h.ExternalPort}/{h.Protocol} → {h.InternalClient}:{h.InternalPort} via {h.Method}, lease {lease}, since {h.Since:u}");
            }
        }

        foreach (var note in r.Notes)
        {
            o.WriteLine("note: " + note);
        }
    }
}
