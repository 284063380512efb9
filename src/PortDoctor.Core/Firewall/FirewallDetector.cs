using PortDoctor.Core.Firewall.Firewalld;
using PortDoctor.Core.Firewall.Iptables;
using PortDoctor.Core.Firewall.Nftables;
using PortDoctor.Core.Firewall.Ufw;
using PortDoctor.Core.Firewall.Windows;
using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Firewall;

/// <summary>The outcome of <see cref="FirewallDetector.DetectAsync"/>.</summary>
/// <param name="Firewall">The backend in force (or the forced one); null when no host firewall filters inbound traffic.</param>
/// <param name="State">That backend's state; null when <paramref name="Firewall"/> is null.</param>
/// <param name="Checked">What was looked at, in order, one line each ("firewalld: firewalld is not running").</param>
public sealed record FirewallDetection(IHostFirewall? Firewall, FirewallState? State, IReadOnlyList<FirewallState> Checked)
{
    /// <summary>One English line: which firewall is in force, or that none is.</summary>
    /// <returns>The line.</returns>
    public string Describe() => Firewall is null
        ? "No active host firewall found (" + string.Join("; ", Checked.Select(c => c.Summary)) + ")."
        : State?.Summary ?? Firewall.Name;
}

/// <summary>
/// Finds the host firewall in force. Linux: firewalld running, else ufw active, else an nftables ruleset with an
/// input hook, else iptables rules (the first that filters wins: firewalld and ufw drive nftables/iptables
/// underneath, so their own view is the one people manage). Windows: Windows Defender Firewall.
/// <c>--firewall NAME</c> forces one backend.
/// </summary>
public sealed class FirewallDetector
{
    private readonly ICommandRunner _runner;
    private readonly bool? _isPrivileged;
    private readonly bool _isWindows;

    /// <summary>Creates a detector.</summary>
    /// <param name="runner">Runs the firewall tools.</param>
    /// <param name="isPrivileged">Root/administrator, passed to the backends; null detects it.</param>
    /// <param name="isWindows">Which OS to detect for; null uses the running OS.</param>
    public FirewallDetector(ICommandRunner runner, bool? isPrivileged = null, bool? isWindows = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
        _isPrivileged = isPrivileged;
        _isWindows = isWindows ?? OperatingSystem.IsWindows();
    }

    /// <summary>Creates the backend called <paramref name="name"/>.</summary>
    /// <param name="name">A backend name (<see cref="FirewallBackendNames.TryNormalize"/> spellings).</param>
    /// <returns>The backend.</returns>
    /// <exception cref="ArgumentException">The name is not a known backend; the message lists the valid ones.</exception>
    public IHostFirewall Create(string name)
    {
        if (!FirewallBackendNames.TryNormalize(name, out string canonical))
        {
            throw new ArgumentException($"Unknown firewall '{name}'. Use one of: {string.Join(", ", FirewallBackendNames.All)}.", nameof(name));
        }

        return canonical switch
        {
            FirewallBackendNames.Nftables => new NftablesFirewall(_runner, _isPrivileged),
            FirewallBackendNames.Iptables => new IptablesFirewall(_runner, _isPrivileged),
            FirewallBackendNames.Ufw => new UfwFirewall(_runner, _isPrivileged),
            FirewallBackendNames.Firewalld => new FirewalldFirewall(_runner, _isPrivileged),
            _ => new WindowsDefenderFirewall(_runner, _isPrivileged),
        };
    }

    /// <summary>Finds the firewall in force, or uses <paramref name="forcedName"/>.</summary>
    /// <param name="forcedName">The <c>--firewall</c> value, or null to detect.</param>
    /// <param name="cancellationToken">Cancels the tool runs.</param>
    /// <returns>The detection; tool failures are in <see cref="FirewallDetection.Checked"/>, not thrown.</returns>
    /// <exception cref="ArgumentException"><paramref name="forcedName"/> is not a known backend.</exception>
    /// <exception cref="TimeoutException">A firewall tool hung past its timeout.</exception>
    public async Task<FirewallDetection> DetectAsync(string? forcedName, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(forcedName))
        {
            var forced = Create(forcedName);
            var state = await forced.InspectAsync(cancellationToken).ConfigureAwait(false);
            return new FirewallDetection(forced, state, [state]);
        }

        string[] order = _isWindows
            ? [FirewallBackendNames.WindowsDefender]
            : [FirewallBackendNames.Firewalld, FirewallBackendNames.Ufw, FirewallBackendNames.Nftables, FirewallBackendNames.Iptables];
        var checkedStates = new List<FirewallState>();
        foreach (var name in order)
        {
            var firewall = Create(name);
            var state = await firewall.InspectAsync(cancellationToken).ConfigureAwait(false);
            checkedStates.Add(state);
            if (name == FirewallBackendNames.Nftables && state.IsActive == true
                && state.Findings.Any(f => f.Code == FirewallFindingCodes.MixedIptablesNft) && await OnlyIptablesNftAsync(cancellationToken).ConfigureAwait(false))
            {
                continue; // the input chains are iptables-nft's: the iptables view reads them in full
            }

            if (state.IsActive == true || (_isWindows && state.IsActive is null))
            {
                return new FirewallDetection(firewall, state, checkedStates);
            }
        }

        return new FirewallDetection(null, null, checkedStates);
    }

    private async Task<bool> OnlyIptablesNftAsync(CancellationToken cancellationToken)
    {
        var request = FirewallCommand.Linux("nft", "-j", "list", "ruleset");
        var result = await _runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        return result.Succeeded && NftRulesetParser.TryRead(result.StandardOutput, out var ruleset, out _)
            && ruleset!.InputBaseChains.All(c => c.Family is "ip" or "ip6" && c.Table == "filter" && c.Name == "INPUT");
    }
}
