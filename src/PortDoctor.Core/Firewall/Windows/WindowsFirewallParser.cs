using System.Globalization;
using System.Text.Json;

namespace PortDoctor.Core.Firewall.Windows;

/// <summary>
/// Reads the JSON the inspection script prints (the script <c>WindowsFirewallScripts.Inspect</c>). Every value
/// PortDoctor decides on is an enum number or a keyword that Windows does not translate; localized display
/// names are carried for messages only. Tolerates PowerShell 5.1's quirks: a single object where an array
/// was meant, and arrays wrapped as {"value":[...],"Count":n}. Pure; never throws.
/// </summary>
internal static class WindowsFirewallParser
{
    public static bool TryRead(string json, out WindowsFirewallSnapshot? snapshot, out string? error)
    {
        snapshot = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            error = "PowerShell printed nothing (expected the firewall JSON)";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json.TrimStart('\uFEFF'));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "the firewall JSON is not an object";
                return false;
            }

            var profiles = Items(root, "Profiles").Select(p => new WindowsFirewallProfile(
                Text(p, "Name"), Number(p, "Enabled", WindowsEnums.True), Number(p, "DefaultInboundAction", 0), Number(p, "AllowInboundRules", 2))).ToList();
            if (profiles.Count == 0)
            {
                error = "the firewall JSON lists no profiles (Get-NetFirewallProfile failed?)";
                return false;
            }

            var connections = Items(root, "Connections").Select(c => new WindowsConnectionProfile(
                Text(c, "Name"), Text(c, "InterfaceAlias"), Number(c, "NetworkCategory", 0))).ToList();
            var rules = Items(root, "Rules").Select(r => new WindowsFirewallRule(
                Text(r, "Name"), Text(r, "DisplayName"), Text(r, "Group"), Number(r, "Action", 0), Number(r, "Profile", 0),
                OrAny(Text(r, "Protocol")), Strings(r, "LocalPort"), OrAny(Text(r, "Program")), OrAny(Text(r, "Service")), Strings(r, "RemoteAddress"))).ToList();
            var products = Items(root, "Products").Select(p => new SecurityCenterProduct(
                Text(p, "displayName"), Number(p, "productState", 0))).ToList();
            bool elevated = root.TryGetProperty("Elevated", out var e) && e.ValueKind == JsonValueKind.True;
            snapshot = new WindowsFirewallSnapshot(elevated, profiles, connections, rules, products);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = $"the firewall output is not valid JSON: {ex.Message}";
            return false;
        }
    }

    private static List<JsonElement> Items(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return [];
        }

        value = Unwrap(value);
        return value.ValueKind switch
        {
            JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Object).ToList(),
            JsonValueKind.Object => [value],
            _ => [],
        };
    }

    private static JsonElement Unwrap(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("value", out var inner) && inner.ValueKind == JsonValueKind.Array ? inner : value;

    private static string Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? string.Empty,
            JsonValueKind.Number => value.GetRawText(),
            _ => string.Empty,
        } : string.Empty;

    private static string OrAny(string text) => text.Length == 0 ? "Any" : text;

    private static int Number(JsonElement obj, string name, int fallback)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return fallback;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number))
        {
            return number;
        }

        // Enum names (PowerShell 7 with -EnumsAsStrings); these are identifiers, never translated.
        return value.ValueKind == JsonValueKind.String ? value.GetString() switch
        {
            "False" => WindowsEnums.False,
            "True" => WindowsEnums.True,
            "NotConfigured" => name == "Enabled" || name == "AllowInboundRules" ? 2 : 0,
            "Allow" => WindowsEnums.ActionAllow,
            "Block" => WindowsEnums.ActionBlock,
            "Any" => WindowsEnums.ProfileAny,
            { } s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) => n,
            _ => fallback,
        } : fallback;
    }

    private static List<string> Strings(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return ["Any"];
        }

        value = Unwrap(value);
        var list = value.ValueKind switch
        {
            JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                .Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()).ToList(),
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Number => [value.GetRawText()],
            _ => [],
        };
        list.RemoveAll(s => s.Length == 0);
        return list.Count == 0 ? ["Any"] : list;
    }
}
