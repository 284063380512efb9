using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Firewall;

/// <summary>The operating system a firewall backend belongs to; detection only tries the running OS's backends.</summary>
public enum FirewallOs
{
    /// <summary>Linux (firewalld, ufw, nftables, iptables).</summary>
    Linux,

    /// <summary>Windows (Windows Defender Firewall).</summary>
    Windows,
}

/// <summary>Builds a backend: the runner for its tool and whether this process is root/administrator (null detects it).</summary>
/// <param name="runner">Runs the firewall tool.</param>
/// <param name="isPrivileged">Root/administrator, or null to detect.</param>
/// <returns>The backend; its <see cref="IHostFirewall.Name"/> is the registered name.</returns>
public delegate IHostFirewall FirewallFactory(ICommandRunner runner, bool? isPrivileged);

/// <summary>One entry of <see cref="FirewallBackendRegistry"/>.</summary>
/// <param name="Name">
/// The canonical name (<see cref="FirewallBackendNames"/>). Stable: journals on disk store it as
/// <see cref="Journal.JournalChange.Method"/>, so renaming one strands every rule an older version added.
/// </param>
/// <param name="Aliases">Other spellings <c>--firewall</c> accepts (the tool's name, the variant's name); compared case-insensitively.</param>
/// <param name="Os">The OS whose detection tries it.</param>
/// <param name="DetectionRank">
/// Its place in that OS's detection order, lowest first. The first backend that filters wins, so front-ends
/// (firewalld, ufw) rank before the layers they drive (nftables, iptables): their view is the one people manage.
/// </param>
/// <param name="Factory">Creates the backend.</param>
/// <param name="InForceWhenUnreadable">
/// True for the OS's built-in firewall that is always present (Windows Defender Firewall): when its state cannot be
/// read it is still the one to evaluate, and the evaluation then says Unknown with the reason instead of "no firewall".
/// </param>
public sealed record FirewallBackend(string Name, IReadOnlyList<string> Aliases, FirewallOs Os, int DetectionRank, FirewallFactory Factory, bool InForceWhenUnreadable = false)
{
    /// <summary>The name followed by the aliases.</summary>
    public IEnumerable<string> Spellings => Aliases.Prepend(Name);
}
