using System.CommandLine;
using PortDoctor.Cli.Rendering;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Cli.Commands;

/// <summary><c>portdoctor close PORT</c> and <c>portdoctor undo</c>.</summary>
internal static class CloseCommand
{
    public static Command Create()
    {
        var port = new Argument<string>("PORT") { Description = "The port whose changes to remove." };
        var command = new Command("close", "Remove what PortDoctor added for this port (router mappings).") { port };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, async (run, token) =>
        {
            int p = CommandRunner.ParsePort(parse.GetValue(port));
            return await new CloseWorkflow(CommandRunner.Context(run, null)).RunAsync(p, token).ConfigureAwait(false);
        }, ReportRenderer.Format, ct));
        return command;
    }

    public static Command CreateUndo()
    {
        var command = new Command("undo", "Remove every change PortDoctor made, newest first.");
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, async (run, token) =>
            await new CloseWorkflow(CommandRunner.Context(run, null)).RunAsync(null, token).ConfigureAwait(false), ReportRenderer.Format, ct));
        return command;
    }
}
