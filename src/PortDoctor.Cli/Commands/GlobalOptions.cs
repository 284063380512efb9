using System.CommandLine;

namespace PortDoctor.Cli.Commands;

/// <summary>
/// Options every client subcommand accepts (README.md, "Global options"), before or after the subcommand's name.
/// <c>serve</c> takes none of them: a long-running service has no result to print and no router to use.
/// </summary>
internal static class GlobalOptions
{
    public static readonly Option<bool> Json = new("--json") { Description = "Print the result as JSON on stdout." };

    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Show the values behind each step." };

    public static readonly Option<string?> Gateway = new("--gateway") { Description = "Use this router address instead of the default gateway.", HelpName = "ADDRESS" };

    public static readonly Option<string?> Timeout = new("--timeout") { Description = "Overall time limit, e.g. 30s or 2m (default: none beyond each step's own limits).", HelpName = "DURATION" };

    public static readonly Option<string?> StateDir = new("--state-dir") { Description = "Folder for PortDoctor's journal (default: the OS state folder).", HelpName = "DIR" };

    public static readonly Option<string?> Lang = new("--lang") { Description = "Language of the output: ja or en (default: the OS UI language).", HelpName = "ja|en" };

    public static readonly Option<string?> Firewall = new("--firewall") { Description = "Use this host firewall backend instead of detecting it: nftables, iptables, ufw, firewalld or windows.", HelpName = "NAME" };

    public static IEnumerable<Option> All => [Json, Verbose, Gateway, Timeout, StateDir, Lang, Firewall];
}
