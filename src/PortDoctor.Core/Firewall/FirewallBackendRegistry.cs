using PortDoctor.Core.Firewall.Firewalld;
using PortDoctor.Core.Firewall.Iptables;
using PortDoctor.Core.Firewall.Nftables;
using PortDoctor.Core.Firewall.Ufw;
using PortDoctor.Core.Firewall.Windows;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Firewall;

/// <summary>
/// The one list of host firewall backends: names and aliases (<c>--firewall NAME</c>, journal entries), OS,
/// detection order and factory. <see cref="FirewallDetector"/>, the CLI and <c>close</c>/<c>undo</c> all look
/// backends up here, so adding one is one entry, and a name that is not here is an error, never a default.
/// </summary>
public sealed class FirewallBackendRegistry
{
    private readonly Dictionary<string, FirewallBackend> _bySpelling = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a registry and checks it: every entry has a name and a factory, no spelling or (OS, rank) pair is used twice.</summary>
    /// <param name="backends">The entries.</param>
    /// <exception cref="ArgumentException">An entry has no name or factory, or two entries share a spelling or a detection rank.</exception>
    public FirewallBackendRegistry(IEnumerable<FirewallBackend> backends)
    {
        ArgumentNullException.ThrowIfNull(backends);
        var list = new List<FirewallBackend>();
        foreach (var backend in backends)
        {
            ArgumentNullException.ThrowIfNull(backend, nameof(backends));
            if (string.IsNullOrWhiteSpace(backend.Name) || backend.Name != backend.Name.Trim() || backend.Name.Any(char.IsUpper))
            {
                throw new ArgumentException($"Firewall backend name '{backend.Name}' must be non-empty, trimmed and lower-case (journals store it).", nameof(backends));
            }

            if (backend.Factory is null)
            {
                throw new ArgumentException($"Firewall backend '{backend.Name}' is registered without a factory.", nameof(backends));
            }

            if (backend.Aliases is null || backend.Aliases.Any(string.IsNullOrWhiteSpace))
            {
                throw new ArgumentException($"Firewall backend '{backend.Name}' has a missing or empty alias.", nameof(backends));
            }

            if (list.Any(b => b.Os == backend.Os && b.DetectionRank == backend.DetectionRank))
            {
                throw new ArgumentException($"Firewall backends share detection rank {backend.DetectionRank} on {backend.Os}: the order would be arbitrary.", nameof(backends));
            }

            foreach (string spelling in backend.Spellings)
            {
                if (!_bySpelling.TryAdd(spelling.Trim(), backend))
                {
                    throw new ArgumentException($"Firewall backend spelling '{spelling}' is registered twice.", nameof(backends));
                }
            }

            list.Add(backend);
        }

        All = list;
        Names = list.Select(b => b.Name).ToList();
    }

    /// <summary>The backends PortDoctor ships.</summary>
    public static FirewallBackendRegistry Default { get; } = new(
    [
        new(FirewallBackendNames.Firewalld, ["firewall-cmd"], FirewallOs.Linux, 0, static (runner, privileged) => new FirewalldFirewall(runner, privileged)),
        new(FirewallBackendNames.Ufw, [], FirewallOs.Linux, 1, static (runner, privileged) => new UfwFirewall(runner, privileged)),
        new(FirewallBackendNames.Nftables, ["nft"], FirewallOs.Linux, 2, static (runner, privileged) => new NftablesFirewall(runner, privileged)),
        new(FirewallBackendNames.Iptables, ["iptables-nft", "iptables-legacy"], FirewallOs.Linux, 3, static (runner, privileged) => new IptablesFirewall(runner, privileged)),
        new(FirewallBackendNames.WindowsDefender, ["defender", "windows-defender", "wf"], FirewallOs.Windows, 0,
            static (runner, privileged) => new WindowsDefenderFirewall(runner, privileged), InForceWhenUnreadable: true),
    ]);

    /// <summary>Every entry, in registration order.</summary>
    public IReadOnlyList<FirewallBackend> All { get; }

    /// <summary>The canonical names, in registration order (for messages that list the valid ones).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The backends detection tries on <paramref name="os"/>, in order.</summary>
    /// <param name="os">The OS.</param>
    /// <returns>The backends, lowest rank first.</returns>
    public IReadOnlyList<FirewallBackend> DetectionOrder(FirewallOs os) => All.Where(b => b.Os == os).OrderBy(b => b.DetectionRank).ToList();

    /// <summary>Finds a backend by name or alias, ignoring case and surrounding spaces.</summary>
    /// <param name="nameOrAlias">What the user typed or the journal stored.</param>
    /// <param name="backend">The backend when the result is true.</param>
    /// <returns>False when no backend has that spelling.</returns>
    public bool TryFind(string? nameOrAlias, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FirewallBackend? backend)
    {
        backend = null;
        return nameOrAlias is not null && _bySpelling.TryGetValue(nameOrAlias.Trim(), out backend);
    }

    /// <summary>Finds a backend by name or alias.</summary>
    /// <param name="nameOrAlias">What the user typed or the journal stored.</param>
    /// <returns>The backend.</returns>
    /// <exception cref="UnknownFirewallBackendException">No backend has that spelling.</exception>
    public FirewallBackend Find(string? nameOrAlias) =>
        TryFind(nameOrAlias, out var backend) ? backend : throw new UnknownFirewallBackendException(nameOrAlias ?? string.Empty, UnknownNameText(nameOrAlias));

    /// <summary>The sentence for a name that is not registered: the name and the valid ones (for <c>--firewall</c> and journal errors).</summary>
    /// <param name="name">The name as given.</param>
    /// <returns>The localizable text.</returns>
    public Text UnknownNameText(string? name) => Text.Of("Firewall.UnknownBackend", name ?? string.Empty, string.Join(", ", Names));

    /// <summary>Creates the backend called <paramref name="nameOrAlias"/>.</summary>
    /// <param name="nameOrAlias">A name or alias.</param>
    /// <param name="runner">Runs the firewall tool.</param>
    /// <param name="isPrivileged">Root/administrator, or null to detect.</param>
    /// <returns>The backend.</returns>
    /// <exception cref="UnknownFirewallBackendException">No backend has that spelling.</exception>
    public IHostFirewall Create(string? nameOrAlias, ICommandRunner runner, bool? isPrivileged) => Find(nameOrAlias).Factory(runner, isPrivileged);
}
