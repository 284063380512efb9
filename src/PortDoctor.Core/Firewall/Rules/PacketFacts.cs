using PortDoctor.Core.Localization;
using System.Net;

namespace PortDoctor.Core.Firewall.Rules;

/// <summary>
/// Shared answers about the packet PortDoctor evaluates: a new connection from an arbitrary internet
/// address, to a unicast address of this host, arriving on a non-loopback interface.
/// </summary>
internal static class PacketFacts
{
    public const string Loopback = "lo";

    /// <summary>Input-interface match. <paramref name="wildcard"/> is the name suffix meaning "any continuation" ('*' nft, '+' iptables).</summary>
    public static ConditionResult Interface(IReadOnlyList<string> names, InboundQuery query, char wildcard)
    {
        bool unknown = false;
        foreach (var name in names)
        {
            if (query.InterfaceName is { } actual)
            {
                if (InterfaceNameMatches(name, actual, wildcard))
                {
                    return ConditionResult.Yes;
                }
            }
            else if (!InterfaceNameMatches(name, Loopback, wildcard) || name.EndsWith(wildcard))
            {
                unknown = true;
            }
        }

        return unknown
            ? ConditionResult.Unknown(Text.Of("FirewallRule.InterfaceOnly", string.Join(", ", names), "--interface"))
            : ConditionResult.No;
    }

    private static bool InterfaceNameMatches(string pattern, string actual, char wildcard) =>
        pattern.Length > 0 && pattern[^1] == wildcard
            ? actual.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : string.Equals(pattern, actual, StringComparison.Ordinal);

    /// <summary>Source-address match: an arbitrary internet source is not in a specific network.</summary>
    public static ConditionResult Source(string display, bool negated)
    {
        if (display is "0.0.0.0/0" or "::/0")
        {
            return ConditionResult.From(!negated);
        }

        return negated
            ? new ConditionResult(MatchOutcome.Yes, Text.Of("FirewallRule.SourceExcept", display))
            : new ConditionResult(MatchOutcome.No, Text.Of("FirewallRule.SourceOnly", display));
    }

    /// <summary>
    /// Destination-address match: multicast and broadcast destinations never match our unicast connection;
    /// anything else depends on which local address the connection targets, which PortDoctor does not know.
    /// </summary>
    public static ConditionResult Destination(IReadOnlyList<string> addresses, bool negated, string text)
    {
        if (addresses.Count > 0 && addresses.All(IsMulticastOrBroadcast))
        {
            return ConditionResult.From(negated);
        }

        return ConditionResult.Unknown(Text.Of("FirewallRule.DestinationDepends", text));
    }

    private static bool IsMulticastOrBroadcast(string text)
    {
        string address = text.Split('/')[0];
        if (!IPAddress.TryParse(address, out var ip))
        {
            return false;
        }

        if (ip.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        byte[] bytes = ip.GetAddressBytes();
        return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? bytes[0] >= 224 : bytes[0] == 0xFF;
    }

    /// <summary>A protocol name or number names our transport.</summary>
    public static bool ProtocolIs(string nameOrNumber, Mapping.TransportProtocol protocol) => nameOrNumber.ToLowerInvariant() switch
    {
        "tcp" or "6" => protocol == Mapping.TransportProtocol.Tcp,
        "udp" or "17" => protocol == Mapping.TransportProtocol.Udp,
        _ => false,
    };

    /// <summary>A connection-tracking state name holds for a new connection ("new"; not established/related/invalid/untracked).</summary>
    public static bool IsNewState(string state) => string.Equals(state.Trim(), "new", StringComparison.OrdinalIgnoreCase);
}
