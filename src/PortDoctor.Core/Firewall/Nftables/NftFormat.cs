using System.Globalization;
using System.Text.Json;

namespace PortDoctor.Core.Firewall.Nftables;

/// <summary>Renders nft JSON expressions back into (approximately) the nft syntax people know, for messages.</summary>
internal static class NftFormat
{
    public static string Statement(JsonElement expr)
    {
        if (!NftJson.TryFirst(expr, out string name, out var value))
        {
            return expr.GetRawText();
        }

        switch (name)
        {
            case "match":
                string op = value.TryGetProperty("op", out var o) ? o.GetString() ?? "==" : "==";
                string left = value.TryGetProperty("left", out var l) ? Expression(l) : "?";
                string right = value.TryGetProperty("right", out var r) ? Expression(r) : "?";
                return op is "==" or "in" ? $"{left} {right}" : $"{left} {op} {right}";
            case "accept" or "drop" or "return" or "continue" or "counter" or "log" or "queue":
                return name;
            case "reject":
                return value.ValueKind == JsonValueKind.Object && value.TryGetProperty("type", out var type) ? $"reject with {type.GetString()}" : "reject";
            case "jump" or "goto":
                return value.TryGetProperty("target", out var target) ? $"{name} {target.GetString()}" : name;
            case "limit":
                string rate = value.TryGetProperty("rate", out var rt) ? rt.GetRawText() : "?";
                string per = value.TryGetProperty("per", out var p) ? p.GetString() ?? "" : "";
                bool over = value.TryGetProperty("inv", out var inv) && inv.ValueKind == JsonValueKind.True;
                return over ? $"limit rate over {rate}/{per}" : $"limit rate {rate}/{per}";
            case "vmap":
                string key = value.TryGetProperty("key", out var k) ? Expression(k) : "?";
                string data = value.TryGetProperty("data", out var d) ? Expression(d) : "?";
                return $"{key} vmap {data}";
            default:
                return expr.GetRawText();
        }
    }

    public static string Expression(JsonElement json)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
            case JsonValueKind.Number:
                return json.ToString();
            case JsonValueKind.Array:
                return string.Join(",", json.EnumerateArray().Select(Expression));
            case JsonValueKind.Object:
                NftJson.TryFirst(json, out string name, out var v);
                switch (name)
                {
                    case "meta":
                        string key = v.TryGetProperty("key", out var mk) ? mk.GetString() ?? "?" : "?";
                        return key is "iif" or "iifname" or "oif" or "oifname" ? key : $"meta {key}";
                    case "payload" when v.TryGetProperty("protocol", out var pp) && v.TryGetProperty("field", out var pf):
                        return $"{pp.GetString()} {pf.GetString()}";
                    case "ct":
                        return v.TryGetProperty("key", out var ck) ? $"ct {ck.GetString()}" : "ct";
                    case "set":
                        return "{ " + string.Join(", ", v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(Expression) : [Expression(v)]) + " }";
                    case "range" when v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 2:
                        return $"{Expression(v[0])}-{Expression(v[1])}";
                    case "prefix" when v.TryGetProperty("addr", out var a) && v.TryGetProperty("len", out var len):
                        return string.Create(CultureInfo.InvariantCulture, $"{a.GetString()}/{len.GetRawText()}");
                    case "elem" when v.TryGetProperty("val", out var val):
                        return Expression(val);
                    case "accept" or "drop" or "return" or "continue":
                        return name;
                    case "jump" or "goto" when v.TryGetProperty("target", out var t):
                        return $"{name} {t.GetString()}";
                    default:
                        return json.GetRawText();
                }

            default:
                return json.GetRawText();
        }
    }
}
