using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Firewall.Rules;

/// <summary>Whether one condition of a rule holds for the inbound packet.</summary>
internal enum MatchOutcome
{
    Yes,
    No,
    Unknown,
}

/// <summary>A condition's outcome; <paramref name="Note"/> explains a No that matters to people (source-restricted) or the Unknown.</summary>
internal readonly record struct ConditionResult(MatchOutcome Outcome, Text? Note = null)
{
    public static ConditionResult Yes { get; } = new(MatchOutcome.Yes);

    public static ConditionResult No { get; } = new(MatchOutcome.No);

    public static ConditionResult From(bool matches) => matches ? Yes : No;

    public static ConditionResult Unknown(Text reason) => new(MatchOutcome.Unknown, reason);

    public ConditionResult Negate() => Outcome switch
    {
        MatchOutcome.Yes => this with { Outcome = MatchOutcome.No },
        MatchOutcome.No => this with { Outcome = MatchOutcome.Yes },
        _ => this,
    };
}

/// <summary>One condition of a rule, tested against the inbound query.</summary>
/// <param name="Text">The condition as written, for messages.</param>
/// <param name="Test">Decides it for a query.</param>
internal sealed record PacketCondition(string Text, Func<InboundQuery, ConditionResult> Test)
{
    public static PacketCondition Always(string text, Text? note = null) => new(text, _ => new ConditionResult(MatchOutcome.Yes, note));

    public static PacketCondition NotUnderstood(string text, Text reason) => new(text, _ => ConditionResult.Unknown(reason));
}

/// <summary>What a rule does when all its conditions hold.</summary>
internal enum RuleActionKind
{
    /// <summary>No verdict (counter, log): evaluation continues with the next rule.</summary>
    None,
    Accept,
    Drop,
    Reject,
    Jump,
    Goto,
    Return,

    /// <summary>A verdict PortDoctor does not model (queue, an extension target): Unknown when it could apply.</summary>
    Unsupported,
}

/// <summary>A rule's action; <paramref name="Target"/> is the chain key for jump/goto, or the unsupported verdict's name.</summary>
internal sealed record RuleAction(RuleActionKind Kind, string? Target = null)
{
    public static RuleAction None { get; } = new(RuleActionKind.None);

    public static RuleAction Accept { get; } = new(RuleActionKind.Accept);

    public static RuleAction Drop { get; } = new(RuleActionKind.Drop);

    public static RuleAction Reject { get; } = new(RuleActionKind.Reject);

    public static RuleAction Return { get; } = new(RuleActionKind.Return);
}

/// <summary>A rule: all conditions must hold for the action to apply.</summary>
internal sealed record FilterRule(FirewallRuleReference Reference, IReadOnlyList<PacketCondition> Conditions, RuleAction Action, string? Comment = null);

/// <summary>A chain. Base chains have a policy and a priority; user chains have neither.</summary>
/// <param name="Key">Unique within the ruleset, used as jump target ("inet filter svc").</param>
/// <param name="Location">"table inet filter chain input".</param>
/// <param name="Rules">The rules in order.</param>
/// <param name="Policy">"accept" or "drop" for base chains; null for user chains.</param>
/// <param name="Priority">The hook priority (lower runs first).</param>
/// <param name="OnlyFor">The IP version the chain sees (ip/ip6 families), or null for both (inet).</param>
internal sealed record FilterChain(string Key, string Location, IReadOnlyList<FilterRule> Rules, string? Policy, int Priority, IpVersion? OnlyFor);

/// <summary>Every base chain at the inbound hook (in priority order) and every chain by key.</summary>
internal sealed record FilterRuleset(IReadOnlyList<FilterChain> BaseChains, IReadOnlyDictionary<string, FilterChain> Chains);
