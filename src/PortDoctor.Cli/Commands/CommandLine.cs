using System.CommandLine;
using PortDoctor.Cli.Rendering;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Reports;

namespace PortDoctor.Cli.Commands;

/// <summary>Builds the command tree and runs it, mapping parse errors to exit code 2.</summary>
internal static class CommandLine
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("PortDoctor opens a port on your home network, proves it from outside, explains failures and undoes its changes.");
        // On the root too, so that `portdoctor --json status` works as well as `portdoctor status --json`.
        Command[] clients = [OpenCommand.Create(), CheckCommand.Create(), CloseCommand.Create(), CloseCommand.CreateUndo(), DiagnoseCommand.Create(), StatusCommand.Create()];
        foreach (var option in GlobalOptions.All)
        {
            root.Options.Add(option);
            foreach (var command in clients)
            {
                command.Options.Add(option);
            }
        }

        foreach (var command in clients)
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(ServeCommand.Create());

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            bool json = args.Contains("--json", StringComparer.Ordinal);
            var language = CommandRunner.LanguageOf(parse);
            var message = Text.Of("Input.Usage", string.Join(" ", parse.Errors.Select(e => e.Message)));
            ReportRenderer.WriteError(output, error, "usage", Localizer.Format(message, json ? UiLanguage.English : language), ExitCodes.Usage, json, language);
            return ExitCodes.Usage;
        }

        // Ctrl+C and SIGTERM are ours: the web host of `serve` lets requests in flight finish (ShutdownTimeout), and
        // CommandRunner stops the client commands, says what PortDoctor holds and exits 130. System.CommandLine's
        // handler would end the process two seconds after the signal with nothing said.
        var config = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };

        return await parse.InvokeAsync(config).ConfigureAwait(false);
    }
}
