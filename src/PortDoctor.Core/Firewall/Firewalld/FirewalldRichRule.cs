using System.Globalization;
using System.Text;
using PortDoctor.Core.Firewall.Rules;

namespace PortDoctor.Core.Firewall.Firewalld;

/// <summary>
/// A firewalld rich rule (firewalld.richlanguage(5)) reduced to what decides an inbound connection:
/// family, source, destination, the element (service/port/protocol/other), the action and priority.
/// </summary>
internal sealed record FirewalldRichRule(
    string Text,
    int Priority,
    string? Family,
    string? Source,
    bool SourceInverted,
    string? Destination,
    string ElementKind,
    IReadOnlyDictionary<string, string> Element,
    string? Action,
    bool HasLimit)
{
    /// <summary>Parses one rich rule line; false with a reason when it is not "rule ..." or is malformed.</summary>
    public static bool TryParse(string text, out FirewalldRichRule? rule, out string? error)
    {
        rule = null;
        if (!TryTokenize(text, out var tokens) || tokens.Count == 0 || tokens[0] != "rule")
        {
            error = $"'{text}' is not a firewalld rich rule";
            return false;
        }

        int priority = 0;
        string? family = null, source = null, destination = null, action = null;
        bool inverted = false, limit = false;
        string element = "none";
        var elementAttributes = new Dictionary<string, string>(StringComparer.Ordinal);
        string? section = "rule";
        for (int i = 1; i < tokens.Count; i++)
        {
            string token = tokens[i];
            int eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                string key = token[..eq], value = token[(eq + 1)..];
                switch (section, key)
                {
                    case ("rule", "priority"):
                        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out priority))
                        {
                            error = $"rich rule priority '{value}' is not a number";
                            return false;
                        }

                        break;
                    case ("rule", "family"):
                        family = value;
                        break;
                    case ("source", "address" or "ipset" or "mac"):
                        source = key == "address" ? value : $"{key} {value}";
                        break;
                    case ("source", "invert"):
                        inverted = value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase);
                        break;
                    case ("destination", _):
                        destination = value;
                        break;
                    case ("element", _):
                        elementAttributes[key] = value;
                        break;
                    default:
                        break; // log/audit/limit attributes decide nothing about our connection
                }

                continue;
            }

            switch (token)
            {
                case "source" or "destination":
                    section = token;
                    break;
                case "service" or "port" or "protocol" or "icmp-block" or "icmp-type" or "forward-port" or "source-port" or "masquerade" or "tcp-mss-clamp":
                    element = token;
                    section = "element";
                    break;
                case "log" or "audit" or "nflog":
                    section = "log";
                    break;
                case "accept" or "reject" or "drop" or "mark":
                    action = token;
                    section = "action";
                    break;
                case "limit":
                    limit |= section == "action";
                    section = "limit";
                    break;
                case "not":
                    inverted = true;
                    break;
                default:
                    error = $"rich rule word '{token}' is not one PortDoctor knows";
                    return false;
            }
        }

        rule = new FirewalldRichRule(text, priority, family, source, inverted, destination, element, elementAttributes, action, limit);
        error = null;
        return true;
    }

    /// <summary>Does this rule apply to the query? <paramref name="servicePorts"/> holds each service's ports, null when unreadable.</summary>
    public ConditionResult Applies(InboundQuery query, IReadOnlyDictionary<string, IReadOnlyList<string>?> servicePorts)
    {
        if (Family is not null && Family != (query.IpVersion == IpVersion.IPv4 ? "ipv4" : "ipv6"))
        {
            return ConditionResult.No;
        }

        Localization.Text? note = null;
        if (Source is not null)
        {
            var source = PacketFacts.Source(Source, SourceInverted);
            if (source.Outcome == MatchOutcome.No)
            {
                return source;
            }

            note = source.Note;
        }

        if (Destination is not null)
        {
            return ConditionResult.Unknown(Localization.Text.Of("FirewallRule.DestinationOnly", Destination));
        }

        ConditionResult element;
        switch (ElementKind)
        {
            case "none":
                element = ConditionResult.Yes;
                break;
            case "port":
                element = Element.TryGetValue("port", out string? port) && Element.TryGetValue("protocol", out string? protocol)
                    && FirewalldParser.PortCovers($"{port}/{protocol}", query) is bool covers
                    ? ConditionResult.From(covers)
                    : ConditionResult.Unknown(Localization.Text.Of("FirewallRule.Firewalld.BadElement", "port"));
                break;
            case "protocol":
                element = ConditionResult.From(Element.TryGetValue("value", out string? value) && PacketFacts.ProtocolIs(value, query.Protocol));
                break;
            case "service":
                element = Element.TryGetValue("name", out string? name)
                    ? ServiceCovers(name, query, servicePorts)
                    : ConditionResult.Unknown(Localization.Text.Of("FirewallRule.Firewalld.NoName", "service"));
                break;
            case "source-port":
                element = new ConditionResult(MatchOutcome.No, Localization.Text.Of("FirewallRule.SourcePorts"));
                break;
            default:
                element = ConditionResult.No; // icmp, forwarding and masquerading do not admit a TCP/UDP connection
                break;
        }

        return element.Outcome == MatchOutcome.Yes && note is not null ? element with { Note = note } : element;
    }

    /// <summary>Does a service (by its resolved ports) cover the query?</summary>
    public static ConditionResult ServiceCovers(string service, InboundQuery query, IReadOnlyDictionary<string, IReadOnlyList<string>?> servicePorts)
    {
        if (!servicePorts.TryGetValue(service, out var ports) || ports is null)
        {
            return ConditionResult.Unknown(Localization.Text.Of("FirewallRule.Firewalld.ServiceUnread", service, $"firewall-cmd --info-service={service}"));
        }

        return ConditionResult.From(ports.Any(p => FirewalldParser.PortCovers(p, query) == true));
    }

    private static bool TryTokenize(string text, out List<string> tokens)
    {
        tokens = [];
        var current = new StringBuilder();
        bool quoted = false;
        foreach (char c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (current.Length > 0)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return !quoted;
    }
}
