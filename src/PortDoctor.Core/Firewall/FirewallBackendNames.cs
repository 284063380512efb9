namespace PortDoctor.Core.Firewall;

/// <summary>
/// Backend names: used by <c>--firewall NAME</c>, in verdicts, and as <c>JournalChange.Method</c> for
/// firewall changes. Stable: journals written by older versions name them.
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

    /// <summary>Every name, in the Linux detection order followed by Windows.</summary>
    public static IReadOnlyList<string> All { get; } = [Firewalld, Ufw, Nftables, Iptables, WindowsDefender];

    /// <summary>Normalises a user-supplied name: accepts the names above and "nft", "defender", "windows-defender" in any case.</summary>
    /// <param name="text">What the user typed.</param>
    /// <param name="name">The canonical name when the result is true.</param>
    /// <returns>False when the name is unknown.</returns>
    public static bool TryNormalize(string? text, out string name)
    {
        name = (text ?? string.Empty).Trim().ToLowerInvariant() switch
        {
            "nftables" or "nft" => Nftables,
            "iptables" or "iptables-nft" or "iptables-legacy" => Iptables,
            "ufw" => Ufw,
            "firewalld" or "firewall-cmd" => Firewalld,
            "windows" or "defender" or "windows-defender" or "wf" => WindowsDefender,
            _ => string.Empty,
        };
        return name.Length > 0;
    }
}
