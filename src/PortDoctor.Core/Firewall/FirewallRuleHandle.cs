using System.Globalization;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Firewall;

/// <summary>
/// Identifies a rule PortDoctor added, with enough to remove it later without rediscovery; stored in the
/// journal as <see cref="JournalChange.Method"/> (backend), <see cref="JournalChange.Protocol"/>,
/// <see cref="JournalChange.ExternalPort"/> and <see cref="JournalChange.RuleHandle"/> (<see cref="Locator"/>).
/// </summary>
/// <param name="Backend">The backend (<see cref="FirewallBackendNames"/>).</param>
/// <param name="Protocol">TCP or UDP.</param>
/// <param name="Port">The port, 1–65535.</param>
/// <param name="Locator">
/// Backend-specific: nftables "inet filter input 23" (family, table, chain, rule handle; without the handle
/// every rule in that chain tagged for this port is removed, for recovery after a crash); iptables "INPUT";
/// ufw "8080/tcp"; firewalld the zone ("public"); Windows the rule Name ("PortDoctor-8080-TCP").
/// </param>
public sealed record FirewallRuleHandle(string Backend, TransportProtocol Protocol, int Port, string Locator)
{
    /// <summary>The tag the rule carries ("portdoctor:8080/tcp").</summary>
    public string Tag => FirewallTag.For(Protocol, Port);

    /// <summary>The journal record for this rule (Kind "firewall").</summary>
    /// <returns>The change.</returns>
    public JournalChange ToJournalChange() => new()
    {
        Kind = "firewall",
        Method = Backend,
        Protocol = Protocol.ToCli(),
        ExternalPort = Port,
        InternalPort = Port,
        RuleHandle = Locator,
    };

    /// <summary>Reads a handle back from a journal record.</summary>
    /// <param name="change">The journal record.</param>
    /// <param name="handle">The handle when the result is true.</param>
    /// <param name="error">What is wrong when the result is false.</param>
    /// <returns>False when the record is not a usable firewall change.</returns>
    public static bool TryFromJournal(JournalChange change, out FirewallRuleHandle? handle, out string? error)
    {
        ArgumentNullException.ThrowIfNull(change);
        handle = null;
        if (!string.Equals(change.Kind, "firewall", StringComparison.Ordinal))
        {
            error = $"journal change kind '{change.Kind}' is not a firewall rule";
            return false;
        }

        if (!FirewallBackendNames.TryNormalize(change.Method, out string backend))
        {
            error = $"journal names an unknown firewall backend '{change.Method}'";
            return false;
        }

        if (!TransportProtocolNames.TryParse(change.Protocol, out var protocol))
        {
            error = $"journal names an unknown protocol '{change.Protocol}'";
            return false;
        }

        if (change.ExternalPort is < 1 or > 65535)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"journal port {change.ExternalPort} is outside 1–65535");
            return false;
        }

        handle = new FirewallRuleHandle(backend, protocol, change.ExternalPort, change.RuleHandle ?? string.Empty);
        error = null;
        return true;
    }
}
