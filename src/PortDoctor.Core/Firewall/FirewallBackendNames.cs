namespace PortDoctor.Core.Firewall;

/// <summary>
/// The canonical backend names, as constants for the backends and their verdicts. Stable: journals written
/// by older versions store them as <c>JournalChange.Method</c>. Aliases, OS, detection order and factories
/// are in <see cref="FirewallBackendRegistry"/>.
/// </summary>
public static class FirewallBackendNames
{
    /// <summary>Linux nftables (the <c>nft</c> tool).</summary>
    public const string Nftables = "nftables";

    /// <summary>Linux iptables (iptables-nft or iptables-legacy), filter table INPUT chain.</summary>
    public const string Iptables = "iptables";

    /// <summary>Ubuntu's Uncomplicated Firewall.</summary>
    public const string Ufw = "ufw";

    /// <summary>firewalld (Fedora, RHEL, openSUSE), the default/active zone.</summary>
    public const string Firewalld = "firewalld";

    /// <summary>Windows Defender Firewall (Windows Firewall with Advanced Security).</summary>
    public const string WindowsDefender = "windows";

    /// <summary>Normalises a name or alias through <see cref="FirewallBackendRegistry.Default"/>.</summary>
    /// <param name="text">What the user typed.</param>
    /// <param name="name">The canonical name when the result is true, else empty.</param>
    /// <returns>False when the name is unknown.</returns>
    public static bool TryNormalize(string? text, out string name)
    {
        name = FirewallBackendRegistry.Default.TryFind(text, out var backend) ? backend.Name : string.Empty;
        return name.Length > 0;
    }
}
