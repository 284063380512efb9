using PortDoctor.Core.Localization;
using System.Text.Json;
using PortDoctor.Core.Firewall.Rules;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Firewall.Nftables;

/// <summary>
/// Turns the left-hand side of an nft match ("meta l4proto", "tcp dport", "ct state", "iif", "ip saddr") and
/// its elements into a condition on the inbound query. Keys PortDoctor does not model give Unknown.
/// </summary>
internal static class NftMatch
{
    // Protocols whose header match implies the packet is not TCP/UDP: nft adds that dependency itself, so
    // such a match never holds for our packet whatever the operator.
    private static readonly HashSet<string> OtherTransports = new(StringComparer.OrdinalIgnoreCase)
    {
        "icmp", "icmpv6", "igmp", "sctp", "dccp", "ah", "esp", "comp", "udplite", "gre", "arp", "ipcomp",
    };

    // Service names nft may print for ports with -S; numbers are the default. Names not here give Unknown.
    private static readonly Dictionary<string, int> ServicePorts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ssh"] = 22, ["smtp"] = 25, ["domain"] = 53, ["http"] = 80, ["https"] = 443, ["http-alt"] = 8080,
    };

    public static PacketCondition Build(JsonElement left, string op, List<NftValue> right, string text)
    {
        string display = string.Join(", ", right.Select(v => v.Display));
        bool negated = op == "!=";
        if (left.ValueKind != JsonValueKind.Object)
        {
            return PacketCondition.NotUnderstood(text, Text.Of("FirewallRule.Nft.UnknownLeft"));
        }

        if (left.TryGetProperty("meta", out var meta) && meta.TryGetProperty("key", out var metaKey))
        {
            return Meta(metaKey.GetString() ?? "", op, negated, right, text);
        }

        if (left.TryGetProperty("payload", out var payload)
            && payload.TryGetProperty("protocol", out var protoElement) && payload.TryGetProperty("field", out var fieldElement))
        {
            return Payload(protoElement.GetString() ?? "", fieldElement.GetString() ?? "", op, negated, right, display, text);
        }

        if (left.TryGetProperty("ct", out var ct) && ct.TryGetProperty("key", out var ctKey) && ctKey.GetString() == "state" && !ct.TryGetProperty("dir", out _))
        {
            return new PacketCondition(text, _ => Apply(negated, AnyOf(right, v => v is NftText t ? (PacketFacts.IsNewState(t.Value) ? MatchOutcome.Yes : MatchOutcome.No) : MatchOutcome.Unknown)));
        }

        return PacketCondition.NotUnderstood(text, Text.Of("FirewallRule.Nft.UnknownMatchKind"));
    }

    private static PacketCondition Meta(string key, string op, bool negated, List<NftValue> right, string text)
    {
        switch (key)
        {
            case "l4proto":
                return new PacketCondition(text, q => Apply(negated, AnyOf(right, v => ProtocolElement(v, q.Protocol))));
            case "nfproto":
                return new PacketCondition(text, q => Apply(negated, AnyOf(right, v => v is NftText t
                    ? From(string.Equals(t.Value, q.IpVersion == IpVersion.IPv4 ? "ipv4" : "ipv6", StringComparison.OrdinalIgnoreCase))
                    : MatchOutcome.Unknown)));
            case "protocol":
                return new PacketCondition(text, q => Apply(negated, AnyOf(right, v => v is NftText t
                    ? From(string.Equals(t.Value, q.IpVersion == IpVersion.IPv4 ? "ip" : "ip6", StringComparison.OrdinalIgnoreCase))
                    : MatchOutcome.Unknown)));
            case "iif":
            case "iifname":
                if (right.Any(v => v is not NftText))
                {
                    return PacketCondition.NotUnderstood(text, Text.Of("FirewallRule.Nft.InterfaceByIndex"));
                }

                var names = right.Cast<NftText>().Select(t => t.Value).ToList();
                return new PacketCondition(text, q =>
                {
                    var result = PacketFacts.Interface(names, q, '*');
                    return negated ? result.Negate() : result;
                });
            case "pkttype":
                return new PacketCondition(text, _ => Apply(negated, AnyOf(right, v => v is NftText t
                    ? From(string.Equals(t.Value, "host", StringComparison.OrdinalIgnoreCase))
                    : MatchOutcome.Unknown)));
            default:
                return PacketCondition.NotUnderstood(text, Text.Of("FirewallRule.NotModelled", $"meta {key}"));
        }
    }

    private static PacketCondition Payload(string protocol, string field, string op, bool negated, List<NftValue> right, string display, string text)
    {
        if (OtherTransports.Contains(protocol))
        {
            return new PacketCondition(text, _ => ConditionResult.No);
        }

        switch (protocol)
        {
            case "ip":
            case "ip6":
                var version = protocol == "ip" ? IpVersion.IPv4 : IpVersion.IPv6;
                return field switch
                {
                    "protocol" or "nexthdr" => new PacketCondition(text, q => q.IpVersion != version
                        ? ConditionResult.No
                        : Apply(negated, AnyOf(right, v => ProtocolElement(v, q.Protocol)))),
                    "saddr" => new PacketCondition(text, q => q.IpVersion != version ? ConditionResult.No : PacketFacts.Source(display, negated)),
                    "daddr" => new PacketCondition(text, q => q.IpVersion != version
                        ? ConditionResult.No
                        : PacketFacts.Destination(right.Select(v => v.Display).ToList(), negated, text)),
                    _ => new PacketCondition(text, q => q.IpVersion != version
                        ? ConditionResult.No
                        : ConditionResult.Unknown(Text.Of("FirewallRule.NotModelled", $"{protocol} {field}"))),
                };
            case "tcp":
            case "udp":
            case "th":
                var implied = protocol switch { "tcp" => TransportProtocol.Tcp, "udp" => TransportProtocol.Udp, _ => (TransportProtocol?)null };
                return field switch
                {
                    "dport" => new PacketCondition(text, q => implied is { } p && p != q.Protocol
                        ? ConditionResult.No
                        : Apply(negated, Compare(op, right, q.Port))),
                    "sport" => new PacketCondition(text, q => implied is { } p && p != q.Protocol
                        ? ConditionResult.No
                        : negated
                            ? new ConditionResult(MatchOutcome.Yes, Text.Of("FirewallRule.SourcePortExcept", display))
                            : new ConditionResult(MatchOutcome.No, Text.Of("FirewallRule.SourcePortsOnly", display))),
                    _ => new PacketCondition(text, q => implied is { } p && p != q.Protocol
                        ? ConditionResult.No
                        : ConditionResult.Unknown(Text.Of("FirewallRule.NotModelled", $"{protocol} {field}"))),
                };
            default:
                return PacketCondition.NotUnderstood(text, Text.Of("FirewallRule.NotModelled", $"{protocol} {field}"));
        }
    }

    private static MatchOutcome ProtocolElement(NftValue value, TransportProtocol protocol) => value switch
    {
        NftText t => From(PacketFacts.ProtocolIs(t.Value, protocol)),
        NftNumber n => From(PacketFacts.ProtocolIs(n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), protocol)),
        NftRange { Low: NftNumber lo, High: NftNumber hi } => From((protocol == TransportProtocol.Tcp ? 6 : 17) is var number && number >= lo.Value && number <= hi.Value),
        _ => MatchOutcome.Unknown,
    };

    private static MatchOutcome Compare(string op, List<NftValue> right, int port)
    {
        if (op is "<" or ">" or "<=" or ">=")
        {
            if (right is not [var single] || PortOf(single) is not int bound)
            {
                return MatchOutcome.Unknown;
            }

            return From(op switch { "<" => port < bound, ">" => port > bound, "<=" => port <= bound, _ => port >= bound });
        }

        return AnyOf(right, v => v switch
        {
            NftRange range when PortOf(range.Low) is int lo && PortOf(range.High) is int hi => From(port >= lo && port <= hi),
            _ when PortOf(v) is int p => From(p == port),
            _ => MatchOutcome.Unknown,
        });
    }

    private static int? PortOf(NftValue value) => value switch
    {
        NftNumber n when n.Value is >= 0 and <= 65535 => (int)n.Value,
        NftText t when ServicePorts.TryGetValue(t.Value, out int p) => p,
        _ => null,
    };

    private static MatchOutcome AnyOf(List<NftValue> values, Func<NftValue, MatchOutcome> test)
    {
        bool unknown = false;
        foreach (var value in values)
        {
            switch (test(value))
            {
                case MatchOutcome.Yes:
                    return MatchOutcome.Yes;
                case MatchOutcome.Unknown:
                    unknown = true;
                    break;
            }
        }

        return values.Count == 0 || unknown ? MatchOutcome.Unknown : MatchOutcome.No;
    }

    private static ConditionResult Apply(bool negated, MatchOutcome outcome)
    {
        var result = new ConditionResult(outcome);
        return negated ? result.Negate() : result;
    }

    private static MatchOutcome From(bool value) => value ? MatchOutcome.Yes : MatchOutcome.No;
}
