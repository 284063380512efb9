using PortDoctor.Core.Localization;
using System.Globalization;
using System.Net;
using PortDoctor.Core.Firewall.Rules;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Firewall.Ufw;

/// <summary>
/// Evaluates ufw's user rules the way ufw installs them: in listed order, first matching rule wins, then the
/// incoming default. IPv4 queries see the plain rules, IPv6 queries the "(v6)" ones.
/// </summary>
internal static class UfwEvaluator
{
    /// <summary>Every application profile name the rules use, to resolve with <c>ufw app info</c> before evaluating.</summary>
    public static IEnumerable<string> ApplicationsOf(UfwStatus status) => status.Rules
        .Select(r => r.To.Split(" on ", StringSplitOptions.None)[0].Trim())
        .Where(to => to != "Anywhere" && !LooksLikeAddress(to.Split(' ')[0]) && !UfwStatusParser.TryReadPorts(to, out _, out _))
        .Distinct(StringComparer.Ordinal);

    /// <summary>Evaluates; <paramref name="applicationPorts"/> maps profile names to their port specs ("22/tcp"), null when unreadable.</summary>
    public static FirewallVerdict Evaluate(UfwStatus status, InboundQuery query, IReadOnlyDictionary<string, IReadOnlyList<string>?>? applicationPorts = null)
    {
        applicationPorts ??= new Dictionary<string, IReadOnlyList<string>?>();
        const string Backend = FirewallBackendNames.Ufw;
        if (!status.Active)
        {
            return FirewallVerdict.Allowed(Backend, new FirewallRuleReference("ufw", "Status: inactive"),
                ["ufw is inactive; rules outside ufw (nftables, iptables) may still filter."]);
        }

        var notes = new List<string>();
        foreach (var rule in status.Rules)
        {
            if (rule.Direction != "IN" || rule.IsV6 != (query.IpVersion == IpVersion.IPv6))
            {
                continue;
            }

            var reference = new FirewallRuleReference(string.Create(CultureInfo.InvariantCulture, $"ufw rule {rule.Number}"), rule.Text);
            var result = Matches(rule, query, applicationPorts);
            if (result.Outcome == MatchOutcome.No)
            {
                if (result.Note is not null)
                {
                    notes.Add($"{reference}: {result.Note}");
                }

                continue;
            }

            if (result.Outcome == MatchOutcome.Unknown)
            {
                return FirewallVerdict.Unknown(Backend, result.Note ?? Text.Of("FirewallVerdict.CannotEvaluate"), reference, notes);
            }

            switch (rule.Action)
            {
                case "ALLOW":
                    return FirewallVerdict.Allowed(Backend, reference, notes);
                case "LIMIT":
                    notes.Add($"{reference}: LIMIT denies a source address after 6 connections within 30 seconds");
                    return FirewallVerdict.Allowed(Backend, reference, notes);
                default:
                    return FirewallVerdict.Blocked(Backend, reference, notes);
            }
        }

        var policy = new FirewallRuleReference("ufw", $"Default: {status.DefaultIncoming ?? "deny"} (incoming)");
        return status.DefaultIncoming == "allow"
            ? FirewallVerdict.Allowed(Backend, policy, notes)
            : FirewallVerdict.Blocked(Backend, policy, notes);
    }

    private static ConditionResult Matches(UfwRule rule, InboundQuery query, IReadOnlyDictionary<string, IReadOnlyList<string>?> applicationPorts)
    {
        string to = rule.To;
        string? iface = null;
        int on = to.IndexOf(" on ", StringComparison.Ordinal);
        if (on >= 0)
        {
            iface = to[(on + 4)..].Trim();
            to = to[..on].Trim();
        }

        var parts = to.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2 && LooksLikeAddress(parts[0]))
        {
            return ConditionResult.Unknown(Text.Of("FirewallRule.DestinationOnly", parts[0]));
        }

        if (parts.Length == 1 && LooksLikeAddress(parts[0]))
        {
            return ConditionResult.Unknown(Text.Of("FirewallRule.DestinationOnly", parts[0]));
        }

        if (to != "Anywhere")
        {
            IReadOnlyList<string> specs = [to];
            if (!UfwStatusParser.TryReadPorts(to, out _, out _))
            {
                if (applicationPorts.GetValueOrDefault(to) is not { } appSpecs)
                {
                    return ConditionResult.Unknown(Text.Of("FirewallRule.Ufw.ProfileUnread", to, $"ufw app info \"{to}\""));
                }

                specs = appSpecs;
            }

            if (!specs.Any(spec => CoversPort(spec, query)))
            {
                return ConditionResult.No;
            }
        }

        string from = rule.From;
        if (from != "Anywhere")
        {
            return new ConditionResult(MatchOutcome.No, Text.Of("FirewallRule.FromOnly", from));
        }

        return iface is null ? ConditionResult.Yes : PacketFacts.Interface([iface], query, '+');
    }

    private static bool CoversPort(string spec, InboundQuery query) =>
        UfwStatusParser.TryReadPorts(spec, out var ranges, out string? protocol)
        && (protocol is null || string.Equals(protocol, query.Protocol.ToCli(), StringComparison.OrdinalIgnoreCase))
        && ranges.Any(r => query.Port >= r.Low && query.Port <= r.High);

    // "22/tcp" would parse as the IPv4 address 0.0.0.22, so an address must look like one (dots or colons).
    private static bool LooksLikeAddress(string text)
    {
        string address = text.Split('/')[0];
        return (address.Contains('.', StringComparison.Ordinal) || address.Contains(':', StringComparison.Ordinal)) && IPAddress.TryParse(address, out _);
    }
}
