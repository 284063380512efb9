using PortDoctor.Core.Localization;
using System.Globalization;
using System.Text.Json;
using PortDoctor.Core.Firewall.Rules;

namespace PortDoctor.Core.Firewall.Nftables;

/// <summary>
/// Parses <c>nft -j list ruleset</c> (libnftables JSON, schema version 1; see libnftables-json(5)) into
/// evaluable chains. Pure: no I/O, never throws on malformed input.
/// </summary>
internal static class NftRulesetParser
{
    // A ruleset of a busy Docker/Kubernetes host is a few MB; anything far larger is not nft output.
    private const int MaxJsonChars = 64 * 1024 * 1024;

    private static readonly HashSet<string> NoiseStatements = new(StringComparer.Ordinal)
    {
        "counter", "log", "mangle", "set", "notrack", "meter",
    };

    public static bool TryRead(string json, out NftRuleset? ruleset, out string? error)
    {
        ruleset = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            error = "nft printed nothing (expected the JSON of 'nft -j list ruleset')";
            return false;
        }

        if (json.Length > MaxJsonChars)
        {
            error = $"nft output is larger than {MaxJsonChars / (1024 * 1024)} MB; refusing to parse it";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
            if (!document.RootElement.TryGetProperty("nftables", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                error = "nft JSON has no top-level \"nftables\" array";
                return false;
            }

            ruleset = Read(items);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = $"nft output is not valid JSON: {ex.Message}";
            return false;
        }
        catch (InvalidOperationException ex)
        {
            // A value of an unexpected JSON kind where libnftables-json(5) defines another.
            error = $"nft JSON does not have the expected shape: {ex.Message}";
            return false;
        }
    }

    private static NftRuleset Read(JsonElement items)
    {
        var sets = new Dictionary<string, IReadOnlyList<NftValue>>(StringComparer.Ordinal);
        var maps = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var chains = new List<NftChainInfo>();
        foreach (var item in items.EnumerateArray())
        {
            if (item.TryGetProperty("set", out var set) && Str(set, "family") is { } sf && Str(set, "table") is { } st && Str(set, "name") is { } sn)
            {
                sets[$"{sf} {st} {sn}"] = set.TryGetProperty("elem", out var elem)
                    ? NftValue.ReadElements(elem, _ => null)
                    : [];
            }
            else if (item.TryGetProperty("map", out var map) && Str(map, "family") is { } mf && Str(map, "table") is { } mt && Str(map, "name") is { } mn
                && map.TryGetProperty("elem", out var mapElem))
            {
                maps[$"{mf} {mt} {mn}"] = mapElem.Clone();
            }
            else if (item.TryGetProperty("chain", out var chain) && Str(chain, "family") is { } cf && Str(chain, "table") is { } ct && Str(chain, "name") is { } cn)
            {
                int priority = chain.TryGetProperty("prio", out var prio) && prio.TryGetInt32(out int p) ? p : 0;
                chains.Add(new NftChainInfo(cf, ct, cn, Str(chain, "type"), Str(chain, "hook"), priority, Str(chain, "policy")));
            }
        }

        var rulesByChain = chains.ToDictionary(c => c.Key, _ => new List<FilterRule>(), StringComparer.Ordinal);
        var ruleInfos = new List<NftRuleInfo>();
        bool iptablesNft = chains.Any(c => c.Family is "ip" or "ip6" && c.Table == "filter" && c.Name == "INPUT");
        foreach (var item in items.EnumerateArray())
        {
            if (!item.TryGetProperty("rule", out var rule) || Str(rule, "family") is not { } family || Str(rule, "table") is not { } table
                || Str(rule, "chain") is not { } chainName || !rule.TryGetProperty("expr", out var expr) || expr.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            long handle = rule.TryGetProperty("handle", out var h) && h.TryGetInt64(out long hv) ? hv : -1;
            string? comment = Str(rule, "comment");
            string text = string.Join(" ", expr.EnumerateArray().Select(NftFormat.Statement)) + (comment is null ? "" : $" comment \"{comment}\"");
            var reference = new FirewallRuleReference(
                string.Create(CultureInfo.InvariantCulture, $"table {family} {table} chain {chainName} rule handle {handle}"), text);
            ruleInfos.Add(new NftRuleInfo(family, table, chainName, handle, comment, text));
            iptablesNft |= expr.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("xt", out _));
            if (rulesByChain.TryGetValue($"{family} {table} {chainName}", out var list))
            {
                var context = new RuleContext(family, table, sets, maps);
                list.AddRange(ReadRule(expr, reference, comment, context));
            }
        }

        var filterChains = chains.ToDictionary(
            c => c.Key,
            c => new FilterChain(c.Key, c.Location, rulesByChain[c.Key], c.Policy ?? (c.Hook is null ? null : "accept"), c.Priority, c.Family switch
            {
                "ip" => IpVersion.IPv4,
                "ip6" => IpVersion.IPv6,
                _ => (IpVersion?)null,
            }),
            StringComparer.Ordinal);
        var result = new NftRuleset(new FilterRuleset([], filterChains), chains, ruleInfos, iptablesNft);
        var baseChains = result.InputBaseChains.Select(c => filterChains[c.Key]).OrderBy(c => c.Priority).ToList();
        return result with { Filter = new FilterRuleset(baseChains, filterChains) };
    }

    private sealed record RuleContext(string Family, string Table, Dictionary<string, IReadOnlyList<NftValue>> Sets, Dictionary<string, JsonElement> Maps)
    {
        public IReadOnlyList<NftValue>? Set(string name) => Sets.GetValueOrDefault($"{Family} {Table} {name}");

        public string ChainKey(string chain) => $"{Family} {Table} {chain}";
    }

    private static List<FilterRule> ReadRule(JsonElement expr, FirewallRuleReference reference, string? comment, RuleContext context)
    {
        var conditions = new List<PacketCondition>();
        var action = RuleAction.None;
        foreach (var statement in expr.EnumerateArray())
        {
            if (!NftJson.TryFirst(statement, out string name, out var value))
            {
                conditions.Add(PacketCondition.NotUnderstood(statement.GetRawText(), Text.Of("FirewallRule.Nft.BadExpression")));
                continue;
            }

            string text = NftFormat.Statement(statement);
            switch (name)
            {
                case "match":
                    string op = Str(value, "op") ?? "==";
                    if (!value.TryGetProperty("left", out var left) || !value.TryGetProperty("right", out var right))
                    {
                        conditions.Add(PacketCondition.NotUnderstood(text, Text.Of("FirewallRule.Nft.BadMatch")));
                        break;
                    }

                    conditions.Add(NftMatch.Build(left, op, NftValue.ReadElements(right, context.Set), text));
                    break;
                case "limit":
                    bool over = value.TryGetProperty("inv", out var inv) && inv.ValueKind == JsonValueKind.True;
                    conditions.Add(over
                        ? new PacketCondition(text, _ => new ConditionResult(MatchOutcome.No, Text.Of("FirewallRule.AboveRateOnly", text)))
                        : PacketCondition.Always(text, Text.Of("FirewallRule.RateLimited", text)));
                    break;
                case "xt":
                    conditions.Add(PacketCondition.NotUnderstood(text, Text.Of("FirewallRule.Nft.IptablesExtension", "--firewall iptables")));
                    break;
                case "accept":
                    action = RuleAction.Accept;
                    break;
                case "drop":
                    action = RuleAction.Drop;
                    break;
                case "reject":
                    action = RuleAction.Reject;
                    break;
                case "return":
                    action = RuleAction.Return;
                    break;
                case "continue":
                    break;
                case "jump":
                case "goto":
                    action = Str(value, "target") is { } target
                        ? new RuleAction(name == "jump" ? RuleActionKind.Jump : RuleActionKind.Goto, context.ChainKey(target))
                        : new RuleAction(RuleActionKind.Unsupported, text);
                    break;
                case "vmap":
                    return ExpandVerdictMap(value, conditions, reference, comment, context, text);
                default:
                    if (NoiseStatements.Contains(name))
                    {
                        break;
                    }

                    if (name is "queue")
                    {
                        action = new RuleAction(RuleActionKind.Unsupported, name);
                        break;
                    }

                    conditions.Add(PacketCondition.NotUnderstood(text, Text.Of("FirewallRule.Nft.UnknownExpression", name)));
                    break;
            }
        }

        return [new FilterRule(reference, conditions, action, comment)];
    }

    // "ct state vmap { established : accept, invalid : drop }" becomes one rule per element: the keys are
    // distinct, so at most one element applies and their order does not matter.
    private static List<FilterRule> ExpandVerdictMap(JsonElement vmap, List<PacketCondition> before, FirewallRuleReference reference, string? comment, RuleContext context, string text)
    {
        if (!vmap.TryGetProperty("key", out var key) || !vmap.TryGetProperty("data", out var data))
        {
            return [new FilterRule(reference, [.. before, PacketCondition.NotUnderstood(text, Text.Of("FirewallRule.Nft.BadVmap"))], new RuleAction(RuleActionKind.Unsupported, "vmap"), comment)];
        }

        JsonElement pairs;
        if (data.ValueKind == JsonValueKind.String && data.GetString() is { } mapName && mapName.StartsWith('@')
            && context.Maps.TryGetValue($"{context.Family} {context.Table} {mapName[1..]}", out var named))
        {
            pairs = named;
        }
        else if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("set", out var set))
        {
            pairs = set;
        }
        else
        {
            return [new FilterRule(reference, [.. before, PacketCondition.NotUnderstood(text, Text.Of("FirewallRule.Nft.UnreadableVmap"))], new RuleAction(RuleActionKind.Unsupported, "vmap"), comment)];
        }

        if (pairs.ValueKind != JsonValueKind.Array)
        {
            return [new FilterRule(reference, [.. before, PacketCondition.NotUnderstood(text, Text.Of("FirewallRule.Nft.BadVmap"))], new RuleAction(RuleActionKind.Unsupported, "vmap"), comment)];
        }

        var rules = new List<FilterRule>();
        foreach (var pair in pairs.EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
            {
                rules.Add(new FilterRule(reference, [.. before, PacketCondition.NotUnderstood(text, Text.Of("FirewallRule.Nft.BadVmapElement"))], new RuleAction(RuleActionKind.Unsupported, "vmap"), comment));
                continue;
            }

            var elementCondition = NftMatch.Build(key, "==", NftValue.ReadElements(pair[0], context.Set), $"{NftFormat.Expression(key)} {NftFormat.Expression(pair[0])}");
            NftJson.TryFirst(pair[1], out string verdictName, out var verdictValue);
            var action = verdictName switch
            {
                "accept" => RuleAction.Accept,
                "drop" => RuleAction.Drop,
                "reject" => RuleAction.Reject,
                "return" => RuleAction.Return,
                "continue" => RuleAction.None,
                "jump" when Str(verdictValue, "target") is { } t => new RuleAction(RuleActionKind.Jump, context.ChainKey(t)),
                "goto" when Str(verdictValue, "target") is { } t => new RuleAction(RuleActionKind.Goto, context.ChainKey(t)),
                _ => new RuleAction(RuleActionKind.Unsupported, verdictName.Length == 0 ? "?" : verdictName),
            };
            rules.Add(new FilterRule(reference, [.. before, elementCondition], action, comment));
        }

        return rules;
    }

    private static string? Str(JsonElement obj, string name) => NftJson.Str(obj, name);
}
