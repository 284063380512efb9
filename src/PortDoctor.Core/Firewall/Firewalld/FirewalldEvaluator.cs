using PortDoctor.Core.Localization;
using PortDoctor.Core.Firewall.Rules;

namespace PortDoctor.Core.Firewall.Firewalld;

/// <summary>
/// Evaluates one firewalld zone in the order firewalld builds its chains: rich rules with negative priority
/// (lowest first, first match wins), then the zone's deny rich rules, then its allows (ports, protocols,
/// services, accept rich rules), then rich rules with positive priority, then the zone target.
/// </summary>
internal static class FirewalldEvaluator
{
    private const string Backend = FirewallBackendNames.Firewalld;

    /// <summary>Every service name the zone mentions (its services and rich-rule service elements), to resolve before evaluating.</summary>
    public static IEnumerable<string> ServicesOf(FirewalldZone zone) =>
        zone.Services.Concat(zone.RichRules
            .Select(r => FirewalldRichRule.TryParse(r, out var rule, out _) ? rule : null)
            .Where(r => r?.ElementKind == "service" && r.Element.ContainsKey("name"))
            .Select(r => r!.Element["name"]))
        .Distinct(StringComparer.Ordinal);

    public static FirewallVerdict Evaluate(FirewalldZone zone, InboundQuery query, IReadOnlyDictionary<string, IReadOnlyList<string>?> servicePorts)
    {
        string where = $"firewalld zone {zone.Name}";
        var notes = new List<string>();
        var rich = new List<(FirewalldRichRule Rule, FirewallRuleReference Reference)>();
        foreach (var text in zone.RichRules)
        {
            var reference = new FirewallRuleReference($"{where} rich rule", text);
            if (!FirewalldRichRule.TryParse(text, out var rule, out string? error))
            {
                return FirewallVerdict.Unknown(Backend, Text.Of("FirewallVerdict.Unparsable", error!), reference);
            }

            rich.Add((rule!, reference));
        }

        // Negative priorities first; a first decisive match wins.
        foreach (var (rule, reference) in rich.Where(r => r.Rule.Priority < 0).OrderBy(r => r.Rule.Priority))
        {
            if (Decide(rule, reference, query, servicePorts, notes) is { } verdict)
            {
                return verdict;
            }
        }

        var deny = rich.Where(r => r.Rule.Priority == 0 && r.Rule.Action is "drop" or "reject").ToList();
        foreach (var (rule, reference) in deny)
        {
            if (Decide(rule, reference, query, servicePorts, notes) is { } verdict)
            {
                return verdict;
            }
        }

        foreach (var port in zone.Ports)
        {
            if (FirewalldParser.PortCovers(port, query) == true)
            {
                return FirewallVerdict.Allowed(Backend, new FirewallRuleReference(where, $"ports: {port}"), notes);
            }
        }

        foreach (var protocol in zone.Protocols)
        {
            if (PacketFacts.ProtocolIs(protocol, query.Protocol))
            {
                return FirewallVerdict.Allowed(Backend, new FirewallRuleReference(where, $"protocols: {protocol}"), notes);
            }
        }

        FirewallVerdict? unknownService = null;
        foreach (var service in zone.Services)
        {
            var covers = FirewalldRichRule.ServiceCovers(service, query, servicePorts);
            var reference = new FirewallRuleReference(where, $"services: {service}" + (servicePorts.GetValueOrDefault(service) is { } ports ? $" ({string.Join(" ", ports)})" : ""));
            if (covers.Outcome == MatchOutcome.Yes)
            {
                return FirewallVerdict.Allowed(Backend, reference, notes);
            }

            if (covers.Outcome == MatchOutcome.Unknown)
            {
                unknownService ??= FirewallVerdict.Unknown(Backend, covers.Note!, reference, notes);
            }
        }

        foreach (var (rule, reference) in rich.Where(r => r.Rule.Priority == 0 && r.Rule.Action == "accept"))
        {
            if (Decide(rule, reference, query, servicePorts, notes) is { } verdict)
            {
                return verdict;
            }
        }

        if (unknownService is not null)
        {
            return unknownService;
        }

        foreach (var (rule, reference) in rich.Where(r => r.Rule.Priority > 0).OrderBy(r => r.Rule.Priority))
        {
            if (Decide(rule, reference, query, servicePorts, notes) is { } verdict)
            {
                return verdict;
            }
        }

        var target = new FirewallRuleReference(where, $"target: {zone.Target}");
        return zone.Target.Equals("ACCEPT", StringComparison.OrdinalIgnoreCase)
            ? FirewallVerdict.Allowed(Backend, target, notes)
            : FirewallVerdict.Blocked(Backend, target, notes); // "default" and %%REJECT%% reject, DROP drops
    }

    private static FirewallVerdict? Decide(FirewalldRichRule rule, FirewallRuleReference reference, InboundQuery query, IReadOnlyDictionary<string, IReadOnlyList<string>?> servicePorts, List<string> notes)
    {
        if (rule.Action is null or "mark")
        {
            return null; // log/audit/mark only: not a verdict
        }

        var applies = rule.Applies(query, servicePorts);
        if (applies.Outcome == MatchOutcome.No)
        {
            if (applies.Note is not null)
            {
                notes.Add($"{reference}: {applies.Note}");
            }

            return null;
        }

        if (applies.Outcome == MatchOutcome.Unknown)
        {
            return FirewallVerdict.Unknown(Backend, applies.Note ?? Text.Of("FirewallVerdict.CannotEvaluate"), reference, notes);
        }

        if (applies.Note is not null)
        {
            notes.Add($"{reference}: {applies.Note}");
        }

        if (rule.HasLimit)
        {
            notes.Add($"{reference}: it is rate-limited; connections beyond the limit are not accepted by it");
        }

        return rule.Action == "accept"
            ? FirewallVerdict.Allowed(Backend, reference, notes)
            : FirewallVerdict.Blocked(Backend, reference, notes);
    }
}
