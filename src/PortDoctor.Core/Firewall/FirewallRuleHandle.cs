using System.Diagnostics.CodeAnalysis;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Firewall;

/// <summary>
/// Identifies a rule PortDoctor added, with enough to remove it later without rediscovery; stored in the
/// journal as <see cref="JournalChange.Method"/> (backend), <see cref="JournalChange.Protocol"/>,
/// <see cref="JournalChange.ExternalPort"/> and <see cref="JournalChange.RuleHandle"/> (<see cref="Locator"/>).
/// </summary>
/// <param name="Backend">The backend's canonical name (<see cref="FirewallBackendRegistry"/>).</param>
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
    /// <param name="problem">What is wrong when the result is false: a code and a localizable sentence.</param>
    /// <returns>False when the record is not a usable firewall change, including one naming a backend that is not registered.</returns>
    public static bool TryRead(JournalChange change, [NotNullWhen(true)] out FirewallRuleHandle? handle, [NotNullWhen(false)] out FirewallJournalProblem? problem)
    {
        ArgumentNullException.ThrowIfNull(change);
        handle = null;
        if (!string.Equals(change.Kind, "firewall", StringComparison.Ordinal))
        {
            problem = new FirewallJournalProblem(FirewallJournalProblemCode.NotAFirewallRule, Text.Of("Firewall.Journal.NotAFirewallRule", change.Kind));
            return false;
        }

        // The backend comes only from the registry: a name it does not know must not fall back to another
        // backend, whose tool would look for the rule in the wrong place and report it gone.
        if (!FirewallBackendRegistry.Default.TryFind(change.Method, out var backend))
        {
            problem = new FirewallJournalProblem(FirewallJournalProblemCode.UnknownBackend,
                Text.Of("Firewall.Journal.UnknownBackend", change.Method, string.Join(", ", FirewallBackendRegistry.Default.Names)));
            return false;
        }

        if (!TransportProtocolNames.TryParse(change.Protocol, out var protocol))
        {
            problem = new FirewallJournalProblem(FirewallJournalProblemCode.UnknownProtocol, Text.Of("Firewall.Journal.UnknownProtocol", change.Protocol));
            return false;
        }

        if (change.ExternalPort is < 1 or > 65535)
        {
            problem = new FirewallJournalProblem(FirewallJournalProblemCode.PortOutOfRange, Text.Of("Firewall.Journal.PortOutOfRange", change.ExternalPort));
            return false;
        }

        handle = new FirewallRuleHandle(backend.Name, protocol, change.ExternalPort, change.RuleHandle ?? string.Empty);
        problem = null;
        return true;
    }
}
