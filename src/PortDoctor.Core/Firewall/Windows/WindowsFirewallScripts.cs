using System.Globalization;
using System.Text;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Firewall.Windows;

/// <summary>
/// The PowerShell scripts the Windows backend runs. Output is JSON with enums cast to numbers, or one of our
/// own keywords, so nothing depends on the display language. Scripts go through -EncodedCommand (UTF-16LE
/// base64), so no quoting layer can alter them.
/// </summary>
internal static class WindowsFirewallScripts
{
    /// <summary>The group every PortDoctor rule belongs to; removal refuses rules outside it.</summary>
    public const string Group = "PortDoctor";

    private const string Prologue =
        "$ErrorActionPreference = 'Stop'\n" +
        "$ProgressPreference = 'SilentlyContinue'\n" +
        "[Console]::OutputEncoding = [System.Text.Encoding]::UTF8\n";

    /// <summary>
    /// Reads profiles, connected networks, enabled inbound rules joined with their port/application/service/
    /// address filters (by InstanceID, which equals the rule Name), Security Center firewall products, and
    /// whether the session is elevated.
    /// </summary>
    public const string Inspect = Prologue +
        "$principal = [Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()\n" +
        "$elevated = $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)\n" +
        "$profiles = @(Get-NetFirewallProfile -PolicyStore ActiveStore | ForEach-Object { [pscustomobject]@{ Name = [string]$_.Name; Enabled = [int]$_.Enabled; DefaultInboundAction = [int]$_.DefaultInboundAction; AllowInboundRules = [int]$_.AllowInboundRules } })\n" +
        "$connections = @(Get-NetConnectionProfile -ErrorAction SilentlyContinue | ForEach-Object { [pscustomobject]@{ Name = [string]$_.Name; InterfaceAlias = [string]$_.InterfaceAlias; NetworkCategory = [int]$_.NetworkCategory } })\n" +
        "$ports = @{}; Get-NetFirewallPortFilter -PolicyStore ActiveStore | ForEach-Object { $ports[$_.InstanceID] = $_ }\n" +
        "$apps = @{}; Get-NetFirewallApplicationFilter -PolicyStore ActiveStore | ForEach-Object { $apps[$_.InstanceID] = $_ }\n" +
        "$services = @{}; Get-NetFirewallServiceFilter -PolicyStore ActiveStore | ForEach-Object { $services[$_.InstanceID] = $_ }\n" +
        "$addresses = @{}; Get-NetFirewallAddressFilter -PolicyStore ActiveStore | ForEach-Object { $addresses[$_.InstanceID] = $_ }\n" +
        "$rules = @(Get-NetFirewallRule -PolicyStore ActiveStore -Enabled True -Direction Inbound | ForEach-Object {\n" +
        "  $id = $_.Name; $p = $ports[$id]; $a = $apps[$id]; $s = $services[$id]; $r = $addresses[$id]\n" +
        "  [pscustomobject]@{ Name = [string]$id; DisplayName = [string]$_.DisplayName; Group = [string]$_.Group; Action = [int]$_.Action; Profile = [int]$_.Profile;\n" +
        "    Protocol = [string]$p.Protocol; LocalPort = @($p.LocalPort | ForEach-Object { [string]$_ }); Program = [string]$a.Program; Service = [string]$s.Service;\n" +
        "    RemoteAddress = @($r.RemoteAddress | ForEach-Object { [string]$_ }) } })\n" +
        "$products = @()\n" +
        "try { $products = @(Get-CimInstance -Namespace root/SecurityCenter2 -ClassName FirewallProduct -ErrorAction Stop | ForEach-Object { [pscustomobject]@{ displayName = [string]$_.displayName; productState = [int]$_.productState } }) } catch { }\n" +
        "[pscustomobject]@{ Elevated = $elevated; Profiles = $profiles; Connections = $connections; Rules = $rules; Products = $products } | ConvertTo-Json -Depth 4 -Compress\n";

    /// <summary>The rule Name for a port: "PortDoctor-8080-TCP" (unique, language-independent).</summary>
    public static string RuleName(TransportProtocol protocol, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"PortDoctor-{port}-{protocol.ToUpnp()}");

    /// <summary>The display name: "PortDoctor 8080/TCP".</summary>
    public static string DisplayName(TransportProtocol protocol, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"PortDoctor {port}/{protocol.ToUpnp()}");

    /// <summary>The New-NetFirewallRule command line, as a user would type it in an elevated PowerShell.</summary>
    public static string NewRuleCommand(TransportProtocol protocol, int port, string? program) =>
        $"New-NetFirewallRule -Name {Quote(RuleName(protocol, port))} -DisplayName {Quote(DisplayName(protocol, port))} " +
        $"-Description {Quote(FirewallTag.For(protocol, port))} -Group {Quote(Group)} -Direction Inbound -Action Allow " +
        $"-Protocol {protocol.ToUpnp()} -LocalPort {port.ToString(CultureInfo.InvariantCulture)} -Profile Any" +
        (program is null ? "" : $" -Program {Quote(program)}");

    /// <summary>The removal command line for an elevated PowerShell (only rules in our group).</summary>
    public static string RemoveRuleCommand(string ruleName) =>
        $"Get-NetFirewallRule -Name {Quote(ruleName)} | Where-Object Group -eq {Quote(Group)} | Remove-NetFirewallRule";

    /// <summary>Adds the rule unless one with its Name exists; prints "present", "foreign" or "added".</summary>
    public static string Add(TransportProtocol protocol, int port, string? program) => Prologue +
        $"$existing = Get-NetFirewallRule -Name {Quote(RuleName(protocol, port))} -ErrorAction SilentlyContinue\n" +
        $"if ($existing) {{ if ($existing.Group -eq {Quote(Group)}) {{ 'present' }} else {{ 'foreign' }}; exit 0 }}\n" +
        NewRuleCommand(protocol, port, program) + " | Out-Null\n" +
        "'added'\n";

    /// <summary>Removes the rule if it is in our group; prints "gone", "foreign" or "removed".</summary>
    public static string Remove(string ruleName) => Prologue +
        $"$rule = Get-NetFirewallRule -Name {Quote(ruleName)} -ErrorAction SilentlyContinue\n" +
        "if (-not $rule) { 'gone'; exit 0 }\n" +
        $"if ($rule.Group -ne {Quote(Group)}) {{ 'foreign'; exit 0 }}\n" +
        $"Remove-NetFirewallRule -Name {Quote(ruleName)}\n" +
        "'removed'\n";

    /// <summary>A request that runs <paramref name="script"/> in Windows PowerShell 5.1 (present on every Windows 10/11).</summary>
    public static CommandRequest Request(string script) => new(
        "powershell.exe",
        ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand", Convert.ToBase64String(Encoding.Unicode.GetBytes(script))],
        FirewallCommand.PowerShellTimeout)
    {
        // The base64 script is long and unreadable; the command shape is what a reader of a failure needs.
        DisplayText = "powershell.exe -NoProfile -NonInteractive -EncodedCommand …",
    };

    /// <summary>Decodes an -EncodedCommand argument (for tests and logs).</summary>
    public static string Decode(CommandRequest request) => Encoding.Unicode.GetString(Convert.FromBase64String(request.Arguments[^1]));

    /// <summary>A PowerShell single-quoted string literal: only ' needs doubling.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
