using System.Globalization;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Firewall.Windows;

/// <summary>
/// Evaluates Windows Defender Firewall for an inbound connection, per active profile, in Windows' order:
/// profile off → allowed; a matching block rule wins over any allow rule; "block all incoming connections"
/// (AllowInboundRules False) overrides every allow rule; then a matching allow rule; then the default
/// inbound action. Decisions use only enum numbers, rule Names and untranslated keywords, so the verdict is
/// the same whatever the display language.
/// </summary>
internal static class WindowsFirewallEvaluator
{
    private const string Backend = FirewallBackendNames.WindowsDefender;

    /// <summary>Evaluates the query.</summary>
    /// <param name="snapshot">What the inspection script read.</param>
    /// <param name="query">The connection; <see cref="InboundQuery.InterfaceName"/> picks the network when several are connected.</param>
    /// <param name="expandPath">Expands %VARIABLES% in rule program paths (Environment.ExpandEnvironmentVariables on Windows).</param>
    /// <returns>The verdict with findings (block-all-incoming, profile off, third-party firewalls).</returns>
    public static FirewallVerdict Evaluate(WindowsFirewallSnapshot snapshot, InboundQuery query, Func<string, string> expandPath)
    {
        var findings = Findings(snapshot, query);
        var profileNames = ActiveProfiles(snapshot, query, out string? profileNote);
        var verdicts = new List<(string Profile, FirewallVerdict Verdict)>();
        foreach (var name in profileNames)
        {
            var profile = snapshot.Profiles.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            var verdict = profile is null
                ? FirewallVerdict.Unknown(Backend, Text.Of("FirewallVerdict.Windows.ProfileMissing", name, "Get-NetFirewallProfile"))
                : EvaluateProfile(snapshot, profile, query, expandPath);
            verdicts.Add((name, verdict));
        }

        FirewallVerdict result;
        if (verdicts.Select(v => v.Verdict.Decision).Distinct().Count() == 1)
        {
            result = verdicts[0].Verdict with { Notes = verdicts.SelectMany(v => v.Verdict.Notes).Distinct().ToList() };
        }
        else
        {
            var each = verdicts.Select(v => Text.Of("FirewallVerdict.Windows.Profile." + v.Verdict.Decision, v.Profile, v.Verdict.DecidedBy?.ToString()))
                .Aggregate((a, b) => Text.Of("FirewallVerdict.Windows.Each", a, b));
            result = FirewallVerdict.Unknown(Backend,
                Text.Of("FirewallVerdict.Windows.DependsOnNetwork", each, "--interface"),
                null, verdicts.SelectMany(v => v.Verdict.Notes).Distinct().ToList());
        }

        if (profileNote is not null)
        {
            result = result with { Notes = [.. result.Notes, profileNote] };
        }

        return result with { Findings = findings };
    }

    /// <summary>The profiles in force: those of the connected networks (or of the named interface).</summary>
    internal static IReadOnlyList<string> ActiveProfiles(WindowsFirewallSnapshot snapshot, InboundQuery query, out string? note)
    {
        note = null;
        var connections = snapshot.Connections;
        if (query.InterfaceName is { } alias)
        {
            var chosen = connections.Where(c => string.Equals(c.InterfaceAlias, alias, StringComparison.OrdinalIgnoreCase)).ToList();
            if (chosen.Count > 0)
            {
                return chosen.Select(c => c.ProfileName).Distinct().ToList();
            }

            note = $"No connected network uses interface '{alias}'; evaluated every connected network.";
        }

        if (connections.Count == 0)
        {
            note = "Windows reports no connected network; evaluated the Public profile, which Windows uses for unidentified networks.";
            return ["Public"];
        }

        return connections.Select(c => c.ProfileName).Distinct().ToList();
    }

    private static FirewallVerdict EvaluateProfile(WindowsFirewallSnapshot snapshot, WindowsFirewallProfile profile, InboundQuery query, Func<string, string> expandPath)
    {
        string where = $"Windows Defender Firewall {profile.Name} profile";
        var notes = new List<string>();
        if (!profile.IsEnabled)
        {
            return FirewallVerdict.Allowed(Backend, new FirewallRuleReference(where, "Enabled: False (the firewall is off)"), notes);
        }

        int bit = WindowsEnums.ProfileBit(profile.Name);
        var inProfile = snapshot.Rules.Where(r => r.Profile == WindowsEnums.ProfileAny || (r.Profile & bit) != 0).ToList();
        foreach (var rule in inProfile.Where(r => r.Action == WindowsEnums.ActionBlock))
        {
            if (Matches(rule, query, expandPath, notes))
            {
                return FirewallVerdict.Blocked(Backend, Reference(rule), notes);
            }
        }

        if (profile.BlocksAllIncoming)
        {
            return FirewallVerdict.Blocked(Backend, new FirewallRuleReference(where, "AllowInboundRules: False (block all incoming connections, including allowed apps)"), notes);
        }

        foreach (var rule in inProfile.Where(r => r.Action == WindowsEnums.ActionAllow))
        {
            if (Matches(rule, query, expandPath, notes))
            {
                return FirewallVerdict.Allowed(Backend, Reference(rule), notes);
            }
        }

        return profile.DefaultAllowsInbound
            ? FirewallVerdict.Allowed(Backend, new FirewallRuleReference(where, "DefaultInboundAction: Allow"), notes)
            : FirewallVerdict.Blocked(Backend, new FirewallRuleReference(where, "DefaultInboundAction: Block (no allow rule matches)"), notes);
    }

    private static FirewallRuleReference Reference(WindowsFirewallRule rule) =>
        new($"Windows Defender Firewall rule {rule.Name}", $"{rule.DisplayName}: {(rule.Action == WindowsEnums.ActionAllow ? "Allow" : "Block")} {rule.Protocol} {string.Join(",", rule.LocalPorts)}"
            + (IsAny(rule.Program) ? "" : $" program {rule.Program}"));

    private static bool Matches(WindowsFirewallRule rule, InboundQuery query, Func<string, string> expandPath, List<string> notes)
    {
        if (!ProtocolMatches(rule.Protocol, query.Protocol) || !rule.LocalPorts.Any(p => PortMatches(p, query.Port)))
        {
            return false;
        }

        string what = rule.Action == WindowsEnums.ActionAllow ? "allows" : "blocks";
        if (!rule.RemoteAddresses.All(a => IsAny(a) || a.Equals("Internet", StringComparison.OrdinalIgnoreCase)))
        {
            notes.Add($"{Reference(rule)}: it {what} only connections from {string.Join(", ", rule.RemoteAddresses)}, not from an arbitrary internet address");
            return false;
        }

        if (!IsAny(rule.Service))
        {
            notes.Add($"{Reference(rule)}: it {what} {query} only for the Windows service '{rule.Service}'");
            return false;
        }

        if (!IsAny(rule.Program))
        {
            if (query.ProgramPath is null)
            {
                notes.Add($"{Reference(rule)}: it {what} {query} only for program {rule.Program}; pass the program (--program) to know whether it applies");
                return false;
            }

            if (!SamePath(expandPath(rule.Program), expandPath(query.ProgramPath)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ProtocolMatches(string protocol, TransportProtocol query) =>
        IsAny(protocol) || protocol.ToUpperInvariant() switch
        {
            "TCP" or "6" => query == TransportProtocol.Tcp,
            "UDP" or "17" => query == TransportProtocol.Udp,
            _ => false,
        };

    private static bool PortMatches(string spec, int port)
    {
        if (IsAny(spec))
        {
            return true;
        }

        var bounds = spec.Split('-');
        if (!int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int low))
        {
            return false; // keywords such as RPC, RPCEPMap, IPHTTPSIn, Teredo name special ports, never an arbitrary one
        }

        int high = low;
        return (bounds.Length == 1 || int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out high)) && port >= low && port <= high;
    }

    private static bool IsAny(string value) => value.Length == 0 || value.Equals("Any", StringComparison.OrdinalIgnoreCase) || value == "*";

    private static bool SamePath(string a, string b) =>
        string.Equals(a.Trim('"').Replace('/', '\\'), b.Trim('"').Replace('/', '\\'), StringComparison.OrdinalIgnoreCase);

    private static List<FirewallFinding> Findings(WindowsFirewallSnapshot snapshot, InboundQuery query)
    {
        var findings = new List<FirewallFinding>();
        var active = ActiveProfiles(snapshot, query, out _);
        foreach (var profile in snapshot.Profiles.Where(p => active.Contains(p.Name, StringComparer.OrdinalIgnoreCase)))
        {
            if (profile.IsEnabled && profile.BlocksAllIncoming)
            {
                findings.Add(new FirewallFinding(FirewallFindingCodes.BlockAllIncoming,
                    Text.Of("FirewallFinding.BlockAllIncoming", profile.Name, $"Set-NetFirewallProfile -Profile {profile.Name} -AllowInboundRules True"),
                    new Dictionary<string, string> { ["profile"] = profile.Name }));
            }

            if (!profile.IsEnabled)
            {
                findings.Add(new FirewallFinding(FirewallFindingCodes.ProfileDisabled,
                    Text.Of("FirewallFinding.ProfileDisabled", profile.Name),
                    new Dictionary<string, string> { ["profile"] = profile.Name }));
            }
        }

        string program = query.ProgramPath ?? "the program that serves the port";
        string port = query.Port.ToString(CultureInfo.InvariantCulture);
        string protocol = query.Protocol.ToUpnp();
        foreach (var product in snapshot.Products.Where(p => p.IsEnabled))
        {
            findings.Add(new FirewallFinding(FirewallFindingCodes.ThirdPartyFirewall,
                query.ProgramPath is null
                    ? Text.Of("FirewallFinding.ThirdParty.AnyProgram", product.DisplayName, protocol, port)
                    : Text.Of("FirewallFinding.ThirdParty", product.DisplayName, query.ProgramPath, protocol, port),
                new Dictionary<string, string>
                {
                    ["product"] = product.DisplayName,
                    ["program"] = program,
                    ["protocol"] = protocol,
                    ["port"] = query.Port.ToString(CultureInfo.InvariantCulture),
                    ["direction"] = "inbound",
                }));
        }

        return findings;
    }
}
