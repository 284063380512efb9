using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Firewall.Rules;

/// <summary>
/// Walks netfilter-style chains (nftables and iptables share the semantics) for one inbound new connection:
/// rules in order, first terminal verdict wins, jump/goto/return, base-chain policy. Every base chain at
/// the hook must accept: an accept ends only its own base chain, a drop or reject is final.
/// </summary>
internal static class ChainEvaluator
{
    // Netfilter itself refuses jump depths past 16 (iptables) or loops (nft); 32 is a safe bound for a parser
    // that has not validated the graph.
    private const int MaxJumpDepth = 32;

    private enum Outcome
    {
        Accept,
        Block,
        Return,
        Unknown,
    }

    private readonly record struct ChainResult(Outcome Outcome, FirewallRuleReference? Rule, Text? Reason = null);

    public static FirewallVerdict Evaluate(FilterRuleset ruleset, InboundQuery query, string backend) =>
        EvaluateWithChain(ruleset, query, backend).Verdict;

    /// <summary>Evaluates and also names the base chain that blocked (or could not be evaluated), where an allow rule would go.</summary>
    public static (FirewallVerdict Verdict, FilterChain? DecidingChain) EvaluateWithChain(FilterRuleset ruleset, InboundQuery query, string backend)
    {
        var notes = new List<string>();
        var chains = ruleset.BaseChains.Where(c => c.OnlyFor is null || c.OnlyFor == query.IpVersion).OrderBy(c => c.Priority).ToList();
        if (chains.Count == 0)
        {
            return (FirewallVerdict.Allowed(backend, new FirewallRuleReference(backend, "no chain filters inbound traffic"), notes), null);
        }

        FirewallRuleReference? accepted = null;
        FirewallRuleReference? acceptedByPolicy = null;
        ChainResult? unknown = null;
        FilterChain? unknownChain = null;
        foreach (var chain in chains)
        {
            var result = Walk(ruleset, chain, query, notes, depth: 0);
            if (result.Outcome == Outcome.Return)
            {
                var policy = new FirewallRuleReference(chain.Location, $"policy {chain.Policy ?? "accept"}");
                result = string.Equals(chain.Policy, "drop", StringComparison.OrdinalIgnoreCase)
                    ? new ChainResult(Outcome.Block, policy)
                    : new ChainResult(Outcome.Accept, policy);
                if (result.Outcome == Outcome.Accept)
                {
                    acceptedByPolicy ??= policy;
                    continue;
                }
            }

            switch (result.Outcome)
            {
                case Outcome.Block:
                    // Whatever an earlier Unknown chain did, this chain drops the packet if it gets here; if the
                    // earlier one dropped it, it is blocked anyway.
                    return (FirewallVerdict.Blocked(backend, result.Rule!, notes), chain);
                case Outcome.Unknown:
                    if (unknown is null)
                    {
                        unknown = result;
                        unknownChain = chain;
                    }

                    break;
                default:
                    accepted ??= result.Rule;
                    break;
            }
        }

        if (unknown is { } u)
        {
            return (FirewallVerdict.Unknown(backend, u.Reason ?? Text.Of("FirewallVerdict.CannotEvaluate"), u.Rule, notes), unknownChain);
        }

        return (FirewallVerdict.Allowed(backend, accepted ?? acceptedByPolicy!, notes), null);
    }

    private static ChainResult Walk(FilterRuleset ruleset, FilterChain chain, InboundQuery query, List<string> notes, int depth)
    {
        if (depth > MaxJumpDepth)
        {
            return new ChainResult(Outcome.Unknown, new FirewallRuleReference(chain.Location, "jump"), Text.Of("FirewallRule.JumpsTooDeep", MaxJumpDepth));
        }

        foreach (var rule in chain.Rules)
        {
            var (outcome, reason, ruleNotes) = Test(rule, query);
            if (outcome == MatchOutcome.No)
            {
                if (rule.Action.Kind is not RuleActionKind.None)
                {
                    notes.AddRange(ruleNotes.Select(n => $"{rule.Reference}: {n}"));
                }

                continue;
            }

            if (outcome == MatchOutcome.Unknown)
            {
                if (rule.Action.Kind == RuleActionKind.None)
                {
                    continue; // a counter or log rule with an odd match decides nothing
                }

                return new ChainResult(Outcome.Unknown, rule.Reference, reason);
            }

            notes.AddRange(ruleNotes.Select(n => $"{rule.Reference}: {n}"));
            switch (rule.Action.Kind)
            {
                case RuleActionKind.None:
                    continue;
                case RuleActionKind.Accept:
                    return new ChainResult(Outcome.Accept, rule.Reference);
                case RuleActionKind.Drop:
                case RuleActionKind.Reject:
                    return new ChainResult(Outcome.Block, rule.Reference);
                case RuleActionKind.Return:
                    return new ChainResult(Outcome.Return, rule.Reference);
                case RuleActionKind.Jump:
                case RuleActionKind.Goto:
                    if (rule.Action.Target is null || !ruleset.Chains.TryGetValue(rule.Action.Target, out var target))
                    {
                        return new ChainResult(Outcome.Unknown, rule.Reference, Text.Of("FirewallRule.JumpTargetMissing", rule.Action.Target));
                    }

                    var sub = Walk(ruleset, target, query, notes, depth + 1);
                    if (sub.Outcome == Outcome.Return && rule.Action.Kind == RuleActionKind.Jump)
                    {
                        continue;
                    }

                    return sub; // goto: the target's return ends this chain too
                default:
                    return new ChainResult(Outcome.Unknown, rule.Reference, Text.Of("FirewallRule.UnsupportedVerdict", rule.Action.Target));
            }
        }

        return new ChainResult(Outcome.Return, null);
    }

    private static (MatchOutcome Outcome, Text? Reason, List<string> Notes) Test(FilterRule rule, InboundQuery query)
    {
        var notes = new List<string>();
        Text? unknown = null;
        foreach (var condition in rule.Conditions)
        {
            var result = condition.Test(query);
            if (result.Outcome == MatchOutcome.No)
            {
                return (MatchOutcome.No, null, result.Note is null ? notes : [result.Note.ToString()]);
            }

            if (result.Outcome == MatchOutcome.Unknown)
            {
                unknown ??= result.Note is null ? Text.Of("FirewallRule.CannotEvaluate", condition.Text) : Text.Of("FirewallRule.CannotEvaluateBecause", condition.Text, result.Note);
            }
            else if (result.Note is not null)
            {
                notes.Add(result.Note.ToString());
            }
        }

        return unknown is null ? (MatchOutcome.Yes, null, notes) : (MatchOutcome.Unknown, unknown, notes);
    }
}
