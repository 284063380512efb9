using System.CommandLine;
using System.Text.Json;
using PortDoctor.Cli.Rendering;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Reports;

namespace PortDoctor.Cli.Commands;

/// <summary><c>portdoctor diagnose [PORT] [--url URL]</c>: read-only, one root cause and the next step.</summary>
internal static class DiagnoseCommand
{
    public static Command Create()
    {
        var port = new Argument<string?>("PORT") { Description = "The port viewers should reach (optional).", Arity = ArgumentArity.ZeroOrOne };
        var protocol = new Option<string>("--protocol", "-p") { Description = "tcp or udp.", DefaultValueFactory = _ => "tcp" };
        protocol.AcceptOnlyFromAmong("tcp", "udp");
        var url = new Option<string?>("--url") { Description = "The URL you publish, e.g. http://example.net:8080/ — compared with the public address and port.", HelpName = "URL" };
        var checker = new Option<string?>("--checker") { Description = "Outside checker: URL, or KIND:URL with KIND portdoctor, transmission or echoip.", HelpName = "URL" };
        var stun = new Option<string[]>("--stun") { Description = "STUN server HOST[:PORT] to learn the public address (repeatable).", HelpName = "HOST:PORT" };
        var command = new Command("diagnose", "Find why a port is not reachable: one root cause and the next step (changes nothing).")
        {
            port, protocol, url, checker, stun,
        };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            bool json = parse.GetValue(GlobalOptions.Json);
            var language = CommandRunner.LanguageOf(parse);
            DiagnoseReport report;
            try
            {
                string? portText = parse.GetValue(port);
                int? p = portText is null ? null : CommandRunner.ParsePort(portText);
                Uri? published = null;
                string? urlText = parse.GetValue(url);
                if (urlText is not null && (!Uri.TryCreate(urlText, UriKind.Absolute, out published) || published.Scheme is not ("http" or "https" or "mms" or "rtsp")))
                {
                    throw new UsageException(Text.Of("Input.BadUrl", urlText));
                }

                var globals = CommandRunner.ReadGlobals(parse);
                var options = new DiagnoseOptions
                {
                    Port = p,
                    Protocol = parse.GetValue(protocol) == "udp" ? TransportProtocol.Udp : TransportProtocol.Tcp,
                    Url = published,
                    Gateway = globals.Gateway,
                    StunServers = await StunServers.ResolveAsync(parse.GetValue(stun), ct).ConfigureAwait(false),
                    Budget = globals.Timeout ?? DiagnoseOptions.DefaultBudget,
                };
                report = await new DiagnoseWorkflow(CommandRunner.Context(globals, parse.GetValue(checker))).RunAsync(options, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is UsageException or JournalException)
            {
                return CommandRunner.WriteFailure(parse, ex, json, language);
            }

            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(JsonDiagnoseReport.From(report), CliJsonContext.Default.JsonDiagnoseReport));
            }
            else
            {
                DiagnoseRenderer.Write(output, report, language, parse.GetValue(GlobalOptions.Verbose));
            }

            return report.ExitCode;
        });
        return command;
    }
}
