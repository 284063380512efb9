using System.CommandLine;

namespace PortDoctor.Cli.Commands;

/// <summary>Options that several subcommands define alike; each call makes a new option for one command.</summary>
internal static class SharedOptions
{
    /// <summary><c>--protocol</c>/<c>-p</c>, TCP unless given.</summary>
    /// <param name="allowed">The values the command takes, "tcp" first.</param>
    /// <returns>The option.</returns>
    public static Option<string> Protocol(params string[] allowed)
    {
        var protocol = new Option<string>("--protocol", "-p")
        {
            Description = $"{string.Join(", ", allowed[..^1])} or {allowed[^1]}.",
            DefaultValueFactory = _ => "tcp",
        };
        protocol.AcceptOnlyFromAmong(allowed);
        return protocol;
    }

    /// <summary><c>--checker</c>: the outside checker that proves the port from the internet.</summary>
    /// <returns>The option.</returns>
    public static Option<string?> Checker() =>
        new("--checker") { Description = "Outside checker: URL, or KIND:URL with KIND portdoctor, transmission or echoip.", HelpName = "URL" };
}
