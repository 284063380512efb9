using PortDoctor.Core.Localization;
using System.Globalization;
using PortDoctor.Core.Firewall.Rules;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Firewall.Iptables;

/// <summary>Conditions for the iptables match extensions PortDoctor understands (iptables-extensions(8)); others give Unknown.</summary>
internal static class IptablesMatch
{
    public static PacketCondition Build(string module, string option, List<string> values, bool negated)
    {
        string value = string.Join(" ", values);
        string text = $"-m {module} {(negated ? "! " : "")}{option} {value}".TrimEnd();
        switch (module, option)
        {
            case ("tcp" or "udp", "--dport" or "--destination-port"):
            case ("multiport", "--dports" or "--destination-ports"):
                var implied = module switch { "tcp" => TransportProtocol.Tcp, "udp" => TransportProtocol.Udp, _ => (TransportProtocol?)null };
                return new PacketCondition(text, q =>
                {
                    if (implied is { } p && p != q.Protocol)
                    {
                        return ConditionResult.No;
                    }

                    var r = PortList(value, q.Port);
                    return negated ? r.Negate() : r;
                });
            case ("tcp" or "udp", "--sport" or "--source-port"):
            case ("multiport", "--sports" or "--source-ports"):
                return new PacketCondition(text, _ => negated
                    ? new ConditionResult(MatchOutcome.Yes, Text.Of("FirewallRule.SourcePortExcept", value))
                    : new ConditionResult(MatchOutcome.No, Text.Of("FirewallRule.SourcePortsOnly", value)));
            case ("multiport", "--ports"):
                return new PacketCondition(text, q =>
                {
                    var r = PortList(value, q.Port);
                    return negated ? r.Negate() : r;
                });
            case ("tcp", "--syn"):
                return new PacketCondition(text, q => ConditionResult.From((q.Protocol == TransportProtocol.Tcp) != negated));
            case ("conntrack", "--ctstate"):
            case ("state", "--state"):
                return new PacketCondition(text, _ =>
                {
                    var r = ConditionResult.From(value.Split(',').Any(PacketFacts.IsNewState));
                    return negated ? r.Negate() : r;
                });
            case ("limit", "--limit"):
                return PacketCondition.Always(text, Text.Of("FirewallRule.RateLimited", text));
            case ("limit", "--limit-burst"):
                return PacketCondition.Always(text);
            case ("addrtype", "--dst-type"):
                return new PacketCondition(text, _ =>
                {
                    var r = ConditionResult.From(value.Split(',').Any(t => t == "LOCAL"));
                    return negated ? r.Negate() : r;
                });
            case ("addrtype", "--limit-iface-in"):
                return PacketCondition.Always(text);
            case ("pkttype", "--pkt-type"):
                return new PacketCondition(text, _ =>
                {
                    var r = ConditionResult.From(value == "unicast");
                    return negated ? r.Negate() : r;
                });
            case ("iprange", "--src-range"):
                return new PacketCondition(text, _ => PacketFacts.Source(value, negated));
            case ("set", "--match-set") when values.Count == 2 && values[1].Split(',')[0] == "src":
                return new PacketCondition(text, _ => PacketFacts.Source($"in ipset {values[0]}", negated));
            case ("icmp" or "icmp6" or "icmpv6", _):
                return new PacketCondition(text, _ => ConditionResult.No);
            default:
                return PacketCondition.NotUnderstood(text, Text.Of("FirewallRule.Iptables.UnknownMatch", $"-m {module} {option}"));
        }
    }

    private static ConditionResult PortList(string list, int port)
    {
        foreach (var item in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = item.Split(':');
            if (!int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int low))
            {
                return ConditionResult.Unknown(Text.Of("FirewallRule.PortNotNumber", item));
            }

            int high = low;
            if (bounds.Length == 2)
            {
                // "1024:" means 1024 up to 65535.
                high = bounds[1].Length == 0 ? 65535 : int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h) ? h : -1;
                if (high < 0)
                {
                    return ConditionResult.Unknown(Text.Of("FirewallRule.BadPortRange", item));
                }
            }

            if (port >= low && port <= high)
            {
                return ConditionResult.Yes;
            }
        }

        return ConditionResult.No;
    }
}
