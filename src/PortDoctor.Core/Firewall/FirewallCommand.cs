using PortDoctor.Core.Localization;
using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Firewall;

/// <summary>Builds firewall tool runs and turns their failures into sentences.</summary>
internal static class FirewallCommand
{
    /// <summary>
    /// nft, iptables-save and ufw answer in milliseconds; firewall-cmd talks to firewalld over D-Bus, which
    /// can take a few seconds while the daemon (re)loads its zones. 20 s covers that without hanging a run.
    /// </summary>
    public static readonly TimeSpan LinuxToolTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// powershell.exe needs 1–3 s to start and Get-NetFirewallRule/…PortFilter enumerate hundreds of rules
    /// through WMI, which takes 5–20 s on a slow disk; 60 s leaves room without hanging forever.
    /// </summary>
    public static readonly TimeSpan PowerShellTimeout = TimeSpan.FromSeconds(60);

    // Linux tools translate their output (ufw through gettext); the C locale keeps the keywords we parse.
    private static readonly Dictionary<string, string> CLocale = new(StringComparer.Ordinal) { ["LC_ALL"] = "C", ["LANG"] = "C" };

    public static CommandRequest Linux(string program, params string[] arguments) =>
        new(program, arguments, LinuxToolTimeout) { Environment = CLocale };

    /// <summary>Null when the run succeeded; otherwise a clause naming the command and what went wrong (the tool's own words verbatim).</summary>
    public static Text? Failure(CommandRequest request, CommandResult result)
    {
        if (result.Succeeded)
        {
            return null;
        }

        string command = request.ToDisplayString();
        return result.Status switch
        {
            CommandStatus.NotInstalled => Text.Of("FirewallTool.NotInstalled", request.FileName, command, result.StandardError.Trim()),
            CommandStatus.CannotStart => Text.Of("FirewallTool.CannotStart", command, result.StandardError.Trim()),
            _ => Text.Of("FirewallTool.Exited", command, result.ExitCode, FirstLine(result.StandardError.Length > 0 ? result.StandardError : result.StandardOutput),
                LooksLikePermissionProblem(result) ? Text.Of("FirewallTool.RunAsRoot") : string.Empty),
        };
    }

    /// <summary>The tool ran but its output could not be read; the parser's detail is kept verbatim.</summary>
    public static Text Unparsable(CommandRequest request, string? detail) =>
        Text.Of("FirewallTool.Unparsable", request.ToDisplayString(), detail ?? string.Empty);

    public static bool LooksLikePermissionProblem(CommandResult result)
    {
        string text = result.StandardError + "\n" + result.StandardOutput;
        return text.Contains("Operation not permitted", StringComparison.OrdinalIgnoreCase)
            || text.Contains("Permission denied", StringComparison.OrdinalIgnoreCase)
            || text.Contains("need to be root", StringComparison.OrdinalIgnoreCase)
            || text.Contains("must be root", StringComparison.OrdinalIgnoreCase)
            || text.Contains("Authorization failed", StringComparison.OrdinalIgnoreCase)
            || text.Contains("NotAuthorizedException", StringComparison.OrdinalIgnoreCase);
    }

    public static string FirstLine(string text)
    {
        string trimmed = text.Trim();
        int newline = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? trimmed : trimmed[..newline].TrimEnd();
    }

    /// <summary>"sudo nft …" for the user to run themselves.</summary>
    public static string Sudo(string program, IEnumerable<string> arguments) => CommandLineText.Join("sudo", [program, .. arguments]);

    public static FirewallChangeResult NeedsRoot(string program, IEnumerable<string> arguments)
    {
        string command = Sudo(program, arguments);
        return new FirewallChangeResult(FirewallChangeStatus.NeedsPrivilege, Text.Of("FirewallChange.NeedsRoot", command), null, command);
    }
}
