using System.Globalization;
using System.Text.Json;

namespace PortDoctor.Core.Firewall.Nftables;

/// <summary>One element of the right-hand side of an nft match: a number, a name, a range, a prefix, or something opaque.</summary>
internal abstract record NftValue
{
    /// <summary>Reads a right-hand side into its elements: anonymous sets and named sets ("@name") are flattened.</summary>
    public static List<NftValue> ReadElements(JsonElement json, Func<string, IReadOnlyList<NftValue>?> namedSet)
    {
        var list = new List<NftValue>();
        Add(json, list, namedSet);
        return list;
    }

    private static void Add(JsonElement json, List<NftValue> list, Func<string, IReadOnlyList<NftValue>?> namedSet)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Number when json.TryGetInt64(out long n):
                list.Add(new NftNumber(n));
                return;
            case JsonValueKind.String:
                string text = json.GetString()!;
                if (text.StartsWith('@'))
                {
                    var elements = namedSet(text[1..]);
                    if (elements is null)
                    {
                        list.Add(new NftOpaque(text));
                    }
                    else
                    {
                        list.AddRange(elements);
                    }

                    return;
                }

                list.Add(new NftText(text));
                return;
            case JsonValueKind.Array:
                foreach (var item in json.EnumerateArray())
                {
                    Add(item, list, namedSet);
                }

                return;
            case JsonValueKind.Object:
                if (json.TryGetProperty("set", out var set))
                {
                    Add(set, list, namedSet);
                    return;
                }

                if (json.TryGetProperty("elem", out var elem) && elem.ValueKind == JsonValueKind.Object && elem.TryGetProperty("val", out var val))
                {
                    Add(val, list, namedSet);
                    return;
                }

                if (json.TryGetProperty("range", out var range) && range.ValueKind == JsonValueKind.Array && range.GetArrayLength() == 2)
                {
                    var low = ReadElements(range[0], namedSet);
                    var high = ReadElements(range[1], namedSet);
                    list.Add(low.Count == 1 && high.Count == 1 ? new NftRange(low[0], high[0]) : new NftOpaque(json.GetRawText()));
                    return;
                }

                if (json.TryGetProperty("prefix", out var prefix) && prefix.ValueKind == JsonValueKind.Object
                    && prefix.TryGetProperty("addr", out var addr) && addr.ValueKind == JsonValueKind.String
                    && prefix.TryGetProperty("len", out var len) && len.TryGetInt32(out int length))
                {
                    list.Add(new NftText(string.Create(CultureInfo.InvariantCulture, $"{addr.GetString()}/{length}")));
                    return;
                }

                list.Add(new NftOpaque(json.GetRawText()));
                return;
            default:
                list.Add(new NftOpaque(json.GetRawText()));
                return;
        }
    }

    /// <summary>The element as nft prints it.</summary>
    public abstract string Display { get; }
}

/// <summary>A number (port, protocol number).</summary>
internal sealed record NftNumber(long Value) : NftValue
{
    public override string Display => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A name or address ("tcp", "new", "lo", "192.168.1.0/24").</summary>
internal sealed record NftText(string Value) : NftValue
{
    public override string Display => Value;
}

/// <summary>An inclusive range ("5000-5010").</summary>
internal sealed record NftRange(NftValue Low, NftValue High) : NftValue
{
    public override string Display => $"{Low.Display}-{High.Display}";
}

/// <summary>Anything PortDoctor does not model (concatenations, unresolvable set references).</summary>
internal sealed record NftOpaque(string Raw) : NftValue
{
    public override string Display => Raw;
}
