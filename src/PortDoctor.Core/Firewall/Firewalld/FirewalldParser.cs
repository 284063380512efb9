using System.Globalization;

namespace PortDoctor.Core.Firewall.Firewalld;

/// <summary>Parses firewall-cmd's <c>--list-all</c> and <c>--info-service</c> output (C locale). Pure; never throws.</summary>
internal static class FirewalldParser
{
    public static bool TryReadZone(string text, out FirewalldZone? zone, out string? error)
    {
        zone = null;
        var lines = (text ?? string.Empty).Replace("\r", "", StringComparison.Ordinal).Split('\n');
        int header = Array.FindIndex(lines, l => l.Length > 0 && !char.IsWhiteSpace(l[0]));
        if (header < 0)
        {
            error = "firewall-cmd --list-all printed nothing";
            return false;
        }

        string head = lines[header].Trim();
        string name = head.Split(' ')[0];
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var rich = new List<string>();
        bool inRich = false;
        for (int i = header + 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (inRich && (line.StartsWith('\t') || line.StartsWith("        ", StringComparison.Ordinal)))
            {
                rich.Add(line.Trim());
                continue;
            }

            inRich = false;
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                error = $"firewall-cmd line '{line.Trim()}' is not 'key: value'";
                return false;
            }

            string key = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            if (key == "rich rules")
            {
                inRich = true;
                if (value.Length > 0)
                {
                    rich.Add(value);
                }

                continue;
            }

            fields[key] = value;
        }

        if (!fields.TryGetValue("target", out string? target))
        {
            error = $"firewall-cmd --list-all for zone '{name}' has no 'target:' line";
            return false;
        }

        zone = new FirewalldZone(
            name,
            head.Contains("(active)", StringComparison.Ordinal),
            head.Contains("(default)", StringComparison.Ordinal),
            target,
            List(fields, "interfaces"),
            List(fields, "sources"),
            List(fields, "services"),
            List(fields, "ports"),
            List(fields, "protocols"),
            rich);
        error = null;
        return true;
    }

    /// <summary>Reads the "ports:" line of <c>firewall-cmd --info-service=NAME</c>.</summary>
    public static bool TryReadServicePorts(string text, out IReadOnlyList<string> ports, out string? error)
    {
        foreach (var line in (text ?? string.Empty).Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith("ports:", StringComparison.Ordinal))
            {
                ports = trimmed["ports:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                error = null;
                return true;
            }
        }

        ports = [];
        error = "firewall-cmd --info-service printed no 'ports:' line";
        return false;
    }

    /// <summary>Does a firewalld port entry ("8080/tcp", "5000-5010/udp") cover the query?</summary>
    public static bool? PortCovers(string entry, InboundQuery query)
    {
        int slash = entry.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return null;
        }

        if (!string.Equals(entry[(slash + 1)..], query.Protocol == Mapping.TransportProtocol.Tcp ? "tcp" : "udp", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var bounds = entry[..slash].Split('-');
        if (!int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int low))
        {
            return null;
        }

        int high = low;
        if (bounds.Length == 2 && !int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out high))
        {
            return null;
        }

        return query.Port >= low && query.Port <= high;
    }

    private static string[] List(Dictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out string? value) ? value.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
}
