using PortDoctor.Core.Firewall.Nftables;
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

    /// <summary>What was looked at as machine values for evidence ("firewalld=inactive ufw=inactive nftables=unreadable"): each
    /// backend and whether it filters (active, inactive, unreadable); <see cref="Describe"/> is the English line for logs.</summary>
    /// <returns>The value.</returns>
    public string CheckedEvidence() => string.Join(" ", Checked.Select(c => c.Backend + "=" + c.IsActive switch
    {
        true => "active",
        false => "inactive",
        null => "unreadable",
    }));
}

/// <summary>
/// Finds the host firewall in force: the running OS's backends from <see cref="FirewallBackendRegistry"/>, in its
/// detection order (Linux: firewalld running, else ufw active, else an nftables ruleset with an input hook, else
/// iptables rules; Windows: Windows Defender Firewall), the first that filters wins. <c>--firewall NAME</c>
/// forces one backend.
/// </summary>
public sealed class FirewallDetector
{
    private readonly ICommandRunner _runner;
    private readonly bool? _isPrivileged;
    private readonly FirewallOs _os;
    private readonly FirewallBackendRegistry _registry;

    /// <summary>Creates a detector.</summary>
    /// <param name="runner">Runs the firewall tools.</param>
    /// <param name="isPrivileged">Root/administrator, passed to the backends; null detects it.</param>
    /// <param name="isWindows">Which OS to detect for; null uses the running OS.</param>
    /// <param name="registry">The backends; null uses <see cref="FirewallBackendRegistry.Default"/>.</param>
    public FirewallDetector(ICommandRunner runner, bool? isPrivileged = null, bool? isWindows = null, FirewallBackendRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
        _isPrivileged = isPrivileged;
        _os = (isWindows ?? OperatingSystem.IsWindows()) ? FirewallOs.Windows : FirewallOs.Linux;
        _registry = registry ?? FirewallBackendRegistry.Default;
    }

    /// <summary>Creates the backend called <paramref name="name"/> (also for removing a journaled rule: the journal stores the name).</summary>
    /// <param name="name">A backend name or alias (<see cref="FirewallBackendRegistry.TryFind"/>).</param>
    /// <returns>The backend.</returns>
    /// <exception cref="UnknownFirewallBackendException">The name is not a registered backend; its text lists the valid ones.</exception>
    public IHostFirewall Create(string name) => _registry.Create(name, _runner, _isPrivileged);

    /// <summary>Finds the firewall in force, or uses <paramref name="forcedName"/>.</summary>
    /// <param name="forcedName">The <c>--firewall</c> value, or null to detect.</param>
    /// <param name="cancellationToken">Cancels the tool runs.</param>
    /// <returns>The detection; tool failures are in <see cref="FirewallDetection.Checked"/>, not thrown.</returns>
    /// <exception cref="UnknownFirewallBackendException"><paramref name="forcedName"/> is not a registered backend.</exception>
    /// <exception cref="TimeoutException">A firewall tool hung past its timeout.</exception>
    public async Task<FirewallDetection> DetectAsync(string? forcedName, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(forcedName))
        {
            var forced = Create(forcedName);
            var state = await forced.InspectAsync(cancellationToken).ConfigureAwait(false);
            return new FirewallDetection(forced, state, [state]);
        }

        var checkedStates = new List<FirewallState>();
        foreach (var backend in _registry.DetectionOrder(_os))
        {
            var firewall = backend.Factory(_runner, _isPrivileged);
            var state = await firewall.InspectAsync(cancellationToken).ConfigureAwait(false);
            checkedStates.Add(state);
            if (backend.Name == FirewallBackendNames.Nftables && state.IsActive == true
                && state.Findings.Any(f => f.Code == FirewallFindingCodes.MixedIptablesNft) && await OnlyIptablesNftAsync(cancellationToken).ConfigureAwait(false))
            {
                continue; // the input chains are iptables-nft's: the iptables view reads them in full
            }

            if (state.IsActive == true || (backend.InForceWhenUnreadable && state.IsActive is null))
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
