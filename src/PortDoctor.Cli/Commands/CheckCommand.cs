using System.CommandLine;
using PortDoctor.Cli.Rendering;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Cli.Commands;

/// <summary><c>portdoctor check PORT</c>: ask the outside checker only; changes nothing.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var port = new Argument<string>("PORT") { Description = "The port to check, 1–65535." };
        var protocol = SharedOptions.Protocol("tcp", "udp");
        var checker = SharedOptions.Checker();
        var command = new Command("check", "Ask an outside checker whether the port is reachable (changes nothing).") { port, protocol, checker };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, async (run, token) =>
        {
            int p = CommandRunner.ParsePort(parse.GetValue(port));
            var proto = parse.GetValue(protocol) == "udp" ? TransportProtocol.Udp : TransportProtocol.Tcp;
            var context = CommandRunner.Context(run, parse.GetValue(checker));
            return await new CheckWorkflow(context).RunAsync(p, proto, token).ConfigureAwait(false);
        }, ReportRenderer.Format, ct));
        return command;
    }
}
