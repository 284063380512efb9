using System.CommandLine;

namespace PortDoctor.Cli.Commands;

/// <summary>Options every subcommand accepts (PRODUCT.md "Global").</summary>
internal static class GlobalOptions
{
    public static readonly Option<bool> Json = new("--json") { Description = "Print the result as JSON on stdout.", Recursive = true };

    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Show the values behind each step.", Recursive = true };

    public static readonly Option<string?> Gateway = new("--gateway") { Description = "Use this router address instead of the default gateway.", Recursive = true, HelpName = "ADDRESS" };

    public static readonly Option<string?> Timeout = new("--timeout") { Description = "Overall time limit, e.g. 30s or 2m (default: none beyond each step's own limits).", Recursive = true, HelpName = "DURATION" };

    public static readonly Option<string?> StateDir = new("--state-dir") { Description = "Folder for PortDoctor's journal (default: the OS state folder).", Recursive = true, HelpName = "DIR" };

    public static readonly Option<string?> Lang = new("--lang") { Description = "Language of the output: ja or en (default: the OS UI language).", Recursive = true, HelpName = "ja|en" };

    public static readonly Option<string?> Firewall = new("--firewall") { Description = "Use this host firewall backend instead of detecting it: nftables, iptables, ufw, firewalld or windows.", Recursive = true, HelpName = "NAME" };

    public static IEnumerable<Option> All => [Json, Verbose, Gateway, Timeout, StateDir, Lang, Firewall];
}
