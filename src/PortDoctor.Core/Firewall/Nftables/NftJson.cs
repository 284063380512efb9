using System.Text.Json;

namespace PortDoctor.Core.Firewall.Nftables;

/// <summary>Small safe accessors for libnftables JSON, where every expression is an object with one property.</summary>
internal static class NftJson
{
    public static bool TryFirst(JsonElement obj, out string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in obj.EnumerateObject())
            {
                name = property.Name;
                value = property.Value;
                return true;
            }
        }

        name = string.Empty;
        value = default;
        return false;
    }

    public static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
