using PortDoctor.Cli.Commands;

namespace PortDoctor.Cli;

/// <summary>Entry point: parse the command line, run the command, return its exit code.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args) => await CommandLine.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
}
