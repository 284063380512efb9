using System.CommandLine;
using PortDoctor.Cli.Rendering;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Cli.Commands;

/// <summary><c>portdoctor status</c>.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var checker = new Option<string?>("--checker") { Description = "Outside checker used to learn the public address.", HelpName = "URL" };
        var command = new Command("status", "Show the router, addresses and what PortDoctor holds.") { checker };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, async (run, token) =>
            await new StatusWorkflow(CommandRunner.Context(run, parse.GetValue(checker))).RunAsync(run.Globals.Gateway, token).ConfigureAwait(false),
            StatusRenderer.Format, ct));
        return command;
    }
}
