using System.Globalization;
using System.Text.RegularExpressions;

namespace PortDoctor.Core.Firewall.Ufw;

/// <summary>Parses <c>ufw status verbose</c> run in the C locale. Pure; never throws.</summary>
internal static partial class UfwStatusParser
{
    public static bool TryRead(string text, out UfwStatus? status, out string? error)
    {
        status = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "ufw printed nothing";
            return false;
        }

        bool? active = null;
        string? defaultIncoming = null;
        var rules = new List<UfwRule>();
        bool inTable = false;
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r', ' ');
            if (line.StartsWith("Status:", StringComparison.Ordinal))
            {
                active = line["Status:".Length..].Trim() == "active";
                continue;
            }

            if (line.StartsWith("Default:", StringComparison.Ordinal))
            {
                var incoming = DefaultIncoming().Match(line);
                defaultIncoming = incoming.Success ? incoming.Groups[1].Value : null;
                continue;
            }

            if (line.StartsWith("--", StringComparison.Ordinal))
            {
                inTable = true;
                continue;
            }

            if (!inTable || line.Trim().Length == 0)
            {
                continue;
            }

            var match = RuleLine().Match(line.Trim());
            if (!match.Success)
            {
                error = $"ufw rule line '{line.Trim()}' has no ALLOW/DENY/REJECT/LIMIT column";
                return false;
            }

            string to = match.Groups["to"].Value.Trim();
            string from = match.Groups["from"].Value.Trim();
            bool v6 = to.EndsWith("(v6)", StringComparison.Ordinal) || from.EndsWith("(v6)", StringComparison.Ordinal);
            rules.Add(new UfwRule(
                rules.Count + 1,
                StripV6(to),
                match.Groups["action"].Value,
                match.Groups["dir"].Success ? match.Groups["dir"].Value : "IN",
                StripV6(from),
                v6,
                match.Groups["comment"].Success ? match.Groups["comment"].Value.Trim() : null,
                line.Trim()));
        }

        if (active is null)
        {
            error = "ufw output has no 'Status:' line (ufw needs root; run PortDoctor with sudo)";
            return false;
        }

        status = new UfwStatus(active.Value, defaultIncoming, rules);
        error = null;
        return true;
    }

    private static string StripV6(string text) =>
        text.EndsWith("(v6)", StringComparison.Ordinal) ? text[..^4].TrimEnd() : text;

    [GeneratedRegex(@"\b(deny|reject|allow)\s*\(incoming\)", RegexOptions.CultureInvariant)]
    private static partial Regex DefaultIncoming();

    [GeneratedRegex(@"^(?<to>.+?)\s+(?<action>ALLOW|DENY|REJECT|LIMIT)(?:\s+(?<dir>IN|OUT|FWD))?\s+(?<from>.+?)(?:\s+#\s?(?<comment>.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex RuleLine();

    /// <summary>Reads the "Port:"/"Ports:" section of <c>ufw app info NAME</c> into port specs ("22/tcp", "80,443/tcp").</summary>
    internal static bool TryReadApplicationPorts(string text, out List<string> specs)
    {
        specs = [];
        bool inPorts = false;
        foreach (var raw in (text ?? string.Empty).Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("Port:", StringComparison.Ordinal) || line.StartsWith("Ports:", StringComparison.Ordinal))
            {
                inPorts = true;
                continue;
            }

            if (inPorts && line.StartsWith(' ') && line.Trim().Length > 0)
            {
                specs.Add(line.Trim());
            }
            else if (inPorts && line.Trim().Length > 0)
            {
                inPorts = false;
            }
        }

        return specs.Count > 0 && specs.All(s => TryReadPorts(s, out _, out _));
    }

    /// <summary>Reads a ufw port spec ("8080", "8080/tcp", "6000:6007/udp", "80,443/tcp") into ranges and a protocol (null = both).</summary>
    internal static bool TryReadPorts(string spec, out List<(int Low, int High)> ranges, out string? protocol)
    {
        ranges = [];
        protocol = null;
        string ports = spec;
        int slash = spec.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            protocol = spec[(slash + 1)..];
            ports = spec[..slash];
        }

        foreach (var item in ports.Split(','))
        {
            var bounds = item.Split(':');
            if (bounds.Length > 2 || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int low))
            {
                return false;
            }

            int high = low;
            if (bounds.Length == 2 && !int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out high))
            {
                return false;
            }

            ranges.Add((low, high));
        }

        return ranges.Count > 0;
    }
}
