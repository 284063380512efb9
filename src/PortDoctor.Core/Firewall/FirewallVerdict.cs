using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Firewall;

/// <summary>What the host firewall would do with an inbound new connection.</summary>
public enum FirewallDecision
{
    /// <summary>The connection would be let in.</summary>
    Allowed,

    /// <summary>The connection would be dropped or rejected.</summary>
    Blocked,

    /// <summary>PortDoctor cannot tell without guessing; <see cref="FirewallVerdict.Reason"/> says why.</summary>
    Unknown,
}

/// <summary>A rule or policy that decided a verdict, and where it lives.</summary>
/// <param name="Location">Where: "table inet filter chain input rule handle 7", "iptables filter INPUT rule 3", "ufw rule 2", "firewalld zone public", "Windows Defender Firewall rule RemoteDesktop-UserMode-In-TCP".</param>
/// <param name="Text">What it says: "tcp dport 22 accept", "policy drop", "8080/tcp ALLOW IN Anywhere".</param>
public sealed record FirewallRuleReference(string Location, string Text)
{
    /// <summary>"location: text", for messages.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Location}: {Text}";
}

/// <summary>The answer to "would inbound PROTO to PORT be accepted by the host firewall?".</summary>
/// <param name="Decision">Allowed, Blocked or Unknown.</param>
/// <param name="Backend">The backend that answered (<see cref="FirewallBackendNames"/>).</param>
/// <param name="DecidedBy">The rule or policy that decided; for Unknown, the rule PortDoctor could not evaluate (null when no rule is to blame, e.g. the tool failed).</param>
/// <param name="Reason">For Unknown: why, and what would let PortDoctor tell (a missing privilege, an interface name), as a clause. Null otherwise.</param>
/// <param name="Notes">Things worth knowing that did not decide (a rule that only admits one source network, a rate limit, an IPv6 difference).</param>
public sealed record FirewallVerdict(
    FirewallDecision Decision,
    string Backend,
    FirewallRuleReference? DecidedBy,
    Text? Reason,
    IReadOnlyList<string> Notes)
{
    /// <summary>Third-party or policy findings that go with the verdict (Windows: "block all incoming connections", security suites).</summary>
    public IReadOnlyList<FirewallFinding> Findings { get; init; } = [];

    /// <summary>An Allowed verdict.</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="decidedBy">The accepting rule or policy.</param>
    /// <param name="notes">Notes.</param>
    /// <returns>The verdict.</returns>
    public static FirewallVerdict Allowed(string backend, FirewallRuleReference decidedBy, IReadOnlyList<string>? notes = null) =>
        new(FirewallDecision.Allowed, backend, decidedBy, null, notes ?? []);

    /// <summary>A Blocked verdict.</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="decidedBy">The dropping/rejecting rule or policy.</param>
    /// <param name="notes">Notes.</param>
    /// <returns>The verdict.</returns>
    public static FirewallVerdict Blocked(string backend, FirewallRuleReference decidedBy, IReadOnlyList<string>? notes = null) =>
        new(FirewallDecision.Blocked, backend, decidedBy, null, notes ?? []);

    /// <summary>An Unknown verdict.</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="reason">Why it is unknown.</param>
    /// <param name="rule">The rule that could not be evaluated, if one is to blame.</param>
    /// <param name="notes">Notes.</param>
    /// <returns>The verdict.</returns>
    public static FirewallVerdict Unknown(string backend, Text reason, FirewallRuleReference? rule = null, IReadOnlyList<string>? notes = null) =>
        new(FirewallDecision.Unknown, backend, rule, reason, notes ?? []);

    /// <summary>A clause for people: the decision and what decided it.</summary>
    /// <returns>The clause.</returns>
    public Text Describe() => Decision switch
    {
        FirewallDecision.Allowed => Text.Of("FirewallVerdict.Allows", Backend, DecidedBy?.ToString()),
        FirewallDecision.Blocked => Text.Of("FirewallVerdict.Blocks", Backend, DecidedBy?.ToString()),
        _ => DecidedBy is null ? Text.Of("FirewallVerdict.CannotTell", Backend, Reason) : Text.Of("FirewallVerdict.CannotTellRule", Backend, DecidedBy.ToString(), Reason),
    };
}
