namespace PortDoctor.Core.Firewall.Windows;

/// <summary>One Windows Defender Firewall profile (Get-NetFirewallProfile), enum values as numbers.</summary>
/// <param name="Name">"Domain", "Private" or "Public" (profile names are not localized).</param>
/// <param name="Enabled">GpoBoolean: 0 False, 1 True, 2 NotConfigured (= True).</param>
/// <param name="DefaultInboundAction">Action: 0 NotConfigured (= Block), 2 Allow, 4 Block.</param>
/// <param name="AllowInboundRules">GpoBoolean: 0 False means "block all incoming connections", which overrides every allow rule.</param>
internal sealed record WindowsFirewallProfile(string Name, int Enabled, int DefaultInboundAction, int AllowInboundRules)
{
    public bool IsEnabled => Enabled != WindowsEnums.False;

    public bool BlocksAllIncoming => AllowInboundRules == WindowsEnums.False;

    public bool DefaultAllowsInbound => DefaultInboundAction == WindowsEnums.ActionAllow;
}

/// <summary>A connected network (Get-NetConnectionProfile); its category picks the firewall profile in force.</summary>
/// <param name="Name">The network name (localized, display only).</param>
/// <param name="InterfaceAlias">The interface ("Ethernet", "イーサネット", "Wi-Fi").</param>
/// <param name="NetworkCategory">0 Public, 1 Private, 2 DomainAuthenticated.</param>
internal sealed record WindowsConnectionProfile(string Name, string InterfaceAlias, int NetworkCategory)
{
    public string ProfileName => NetworkCategory switch { 1 => "Private", 2 => "Domain", _ => "Public" };
}

/// <summary>An enabled inbound rule with its port, application, service and address filters.</summary>
/// <param name="Name">The rule's unique Name (stable across display languages: "RemoteDesktop-UserMode-In-TCP" or a GUID).</param>
/// <param name="DisplayName">The localized display name.</param>
/// <param name="Group">The group (may be a resource reference or localized text).</param>
/// <param name="Action">2 Allow, 4 Block.</param>
/// <param name="Profile">Flags: 0 Any, 1 Domain, 2 Private, 4 Public.</param>
/// <param name="Protocol">"TCP", "UDP", "Any", "ICMPv4", or a protocol number.</param>
/// <param name="LocalPorts">"Any", numbers, ranges "5000-5010", or keywords such as "RPC".</param>
/// <param name="Program">"Any" or a program path (may hold %SystemRoot%-style variables).</param>
/// <param name="Service">"Any" or a Windows service name.</param>
/// <param name="RemoteAddresses">"Any", keywords ("LocalSubnet", "Internet") or addresses/ranges.</param>
internal sealed record WindowsFirewallRule(
    string Name,
    string DisplayName,
    string Group,
    int Action,
    int Profile,
    string Protocol,
    IReadOnlyList<string> LocalPorts,
    string Program,
    string Service,
    IReadOnlyList<string> RemoteAddresses);

/// <summary>A security product registered with Windows Security Center (root/SecurityCenter2 FirewallProduct).</summary>
/// <param name="DisplayName">The product name.</param>
/// <param name="ProductState">The packed state; bits 12–15 (0x1000) tell whether it is on.</param>
internal sealed record SecurityCenterProduct(string DisplayName, int ProductState)
{
    /// <summary>
    /// The second byte of productState is the run state: 0x10 on, 0x00 off, 0x01 snoozed, 0x11 expired
    /// (documented by vendors, not by Microsoft); the 0x10 bit means the firewall filters.
    /// </summary>
    public bool IsEnabled => ((ProductState >> 8) & 0x10) != 0;
}

/// <summary>Everything the inspection script reports.</summary>
internal sealed record WindowsFirewallSnapshot(
    bool Elevated,
    IReadOnlyList<WindowsFirewallProfile> Profiles,
    IReadOnlyList<WindowsConnectionProfile> Connections,
    IReadOnlyList<WindowsFirewallRule> Rules,
    IReadOnlyList<SecurityCenterProduct> Products);

/// <summary>NetSecurity enum values (MSFT_NetFirewallRule / MSFT_NetFirewallProfile) that PortDoctor reads.</summary>
internal static class WindowsEnums
{
    public const int False = 0;
    public const int True = 1;
    public const int ActionAllow = 2;
    public const int ActionBlock = 4;
    public const int ProfileAny = 0;

    public static int ProfileBit(string profile) => profile switch { "Domain" => 1, "Private" => 2, "Public" => 4, _ => 0 };
}
