using System.CommandLine;
using PortDoctor.Cli.Rendering;
using PortDoctor.Core.Inputs;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Cli.Commands;

/// <summary><c>portdoctor open PORT</c>.</summary>
internal static class OpenCommand
{
    public static Command Create()
    {
        var port = new Argument<string>("PORT") { Description = "The port to open, 1–65535 (1024–65535 recommended)." };
        var protocol = SharedOptions.Protocol("tcp", "udp", "both");
        var lease = new Option<string?>("--lease") { Description = "How long the router keeps the mapping, e.g. 2h, 1d or permanent (default 1d).", HelpName = "DURATION" };
        var noCheck = new Option<bool>("--no-check") { Description = "Do not ask an outside checker to confirm." };
        var noRouter = new Option<bool>("--no-router") { Description = "Do not touch the router." };
        var noFirewall = new Option<bool>("--no-firewall") { Description = "Do not touch this PC's firewall." };
        var program = new Option<string?>("--program") { Description = "The program that should own the port (a different owner is reported).", HelpName = "PATH" };
        var keep = new Option<bool>("--keep") { Description = "Stay in the foreground: renew the mapping at half its lease (default lease 10m), re-create it after a router restart, and remove it on Ctrl+C." };
        var checker = SharedOptions.Checker();

        var command = new Command("open", "Map the port on the router and prove it is reachable from outside.")
        {
            port, protocol, lease, noCheck, noRouter, noFirewall, program, keep, checker,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, async (run, token) =>
        {
            var globals = run.Globals;
            int p = CommandRunner.ParsePort(parse.GetValue(port));
            bool keeping = parse.GetValue(keep);
            TimeSpan leaseValue = keeping ? KeepWorkflow.DefaultLease : OpenOptions.DefaultLease;
            string? leaseText = parse.GetValue(lease);
            if (leaseText is not null && !DurationInput.TryParse(leaseText, out leaseValue, out var leaseError))
            {
                throw new UsageException(Text.Of("Input.BadLease", leaseError));
            }

            // "0" reads as "no time at all" to some and "no expiry" to others (UPnP's lease 0): only the word says permanent.
            if (leaseText is not null && leaseValue == TimeSpan.Zero && !leaseText.Trim().Equals("permanent", StringComparison.OrdinalIgnoreCase))
            {
                throw new UsageException(Text.Of("Input.LeaseZero", leaseText));
            }

            var options = new OpenOptions
            {
                Port = p,
                Protocols = ParseProtocols(parse.GetValue(protocol)),
                Lease = leaseValue,
                NoCheck = parse.GetValue(noCheck),
                NoRouter = parse.GetValue(noRouter),
                NoFirewall = parse.GetValue(noFirewall),
                ProgramPath = parse.GetValue(program),
                Gateway = globals.Gateway,
            };
            var context = CommandRunner.Context(run, parse.GetValue(checker));
            if (!keeping)
            {
                return await new OpenWorkflow(context).RunAsync(options, token).ConfigureAwait(false);
            }

            // Keep's lines are notes of the progress sink: stdout, or stderr under --json so that stdout stays one JSON document.
            var output = parse.InvocationConfiguration.Output;
            var printer = run.Progress;
            var keeper = new KeepWorkflow(context, opened =>
            {
                if (!globals.Json)
                {
                    // The steps were printed as they came; the verdict of the open part comes before keeping starts.
                    printer.EndWait();
                    ReportRenderer.Write(output, opened, json: false, globals.Verbose, globals.Language, printer.WasPrinted);
                    output.Flush();
                }
            });
            return await keeper.RunAsync(options, token).ConfigureAwait(false);
        }, ReportRenderer.Format, ct, new RunOptions(HandlesInterrupt: parse.GetValue(keep))));
        return command;
    }

    internal static IReadOnlyList<TransportProtocol> ParseProtocols(string? text) => text switch
    {
        "udp" => [TransportProtocol.Udp],
        "both" => [TransportProtocol.Tcp, TransportProtocol.Udp],
        _ => [TransportProtocol.Tcp],
    };
}
