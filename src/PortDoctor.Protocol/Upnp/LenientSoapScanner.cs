using System.Globalization;
using System.Text;

namespace PortDoctor.Protocol.Upnp;

/// <summary>
/// Reads a SOAP answer that is not well-formed XML, the way tolerant UPnP clients do: tags are matched by
/// local name without regard to case, an end tag closes the innermost open element of that name (one that
/// matches nothing is ignored), and whatever is still open when the body ends is closed there. It keeps the
/// hostile-input rules of <see cref="UpnpXml"/>: no DTD or entity declarations (refused), a nesting cap,
/// only the predefined and numeric character references. It builds no tree: it keeps the fault fields and
/// the direct children (or direct text) of the <c>…Response</c> element.
/// </summary>
internal static class LenientSoapScanner
{
    internal sealed class Result
    {
        public bool Refused { get; set; }

        public bool TooDeep { get; set; }

        public bool FaultSeen { get; set; }

        public string? ErrorCode { get; set; }

        public string? ErrorDescription { get; set; }

        public string? FaultString { get; set; }

        public bool ResponseFound { get; set; }

        public Dictionary<string, string> Arguments { get; } = new(StringComparer.OrdinalIgnoreCase);

        public string? BareValue { get; set; }
    }

    private sealed class Frame(string local, bool inFault, bool isResponse, bool isArgument)
    {
        public string Local { get; } = local;

        public bool InFault { get; } = inFault;

        public bool IsResponse { get; } = isResponse;

        public bool IsArgument { get; } = isArgument;

        public bool HasChild { get; set; }

        public StringBuilder Text { get; } = new();
    }

    public static Result Scan(string text, string responseName)
    {
        var result = new Result();
        var open = new List<Frame>();
        int i = 0;
        while (i < text.Length)
        {
            int lt = text.IndexOf('<', i);
            if (lt < 0)
            {
                AppendText(open, text.AsSpan(i));
                break;
            }

            AppendText(open, text.AsSpan(i, lt - i));
            ReadOnlySpan<char> rest = text.AsSpan(lt);
            if (rest.StartsWith("<!--"))
            {
                i = SkipPast(text, lt + 4, "-->");
            }
            else if (rest.StartsWith("<![CDATA["))
            {
                int end = text.IndexOf("]]>", lt + 9, StringComparison.Ordinal);
                string data = end < 0 ? text[(lt + 9)..] : text[(lt + 9)..end];
                if (open.Count > 0)
                {
                    open[^1].Text.Append(data.Replace("&", "&amp;", StringComparison.Ordinal));
                }

                i = end < 0 ? text.Length : end + 3;
            }
            else if (rest.StartsWith("<!"))
            {
                result.Refused = true; // DOCTYPE, ENTITY: never read, as in the strict reader
                return result;
            }
            else if (rest.StartsWith("<?"))
            {
                i = SkipPast(text, lt + 2, "?>");
            }
            else
            {
                int gt = text.IndexOf('>', lt + 1);
                if (gt < 0)
                {
                    break; // cut inside a tag: the tag is lost, what came before stays
                }

                string tag = text[(lt + 1)..gt];
                i = gt + 1;
                if (tag.StartsWith('/'))
                {
                    Close(open, UpnpXml.LocalPart(tag[1..].Trim()), result);
                    continue;
                }

                bool selfClosing = tag.EndsWith('/');
                string name = NameOf(tag);
                if (name.Length == 0)
                {
                    continue;
                }

                if (open.Count >= UpnpXml.MaxElementDepth)
                {
                    result.TooDeep = true;
                    return result;
                }

                string local = UpnpXml.LocalPart(name);
                Frame? parent = open.Count > 0 ? open[^1] : null;
                bool isFault = Is(local, "Fault");
                bool isResponse = !result.ResponseFound && Is(local, responseName);
                if (isFault)
                {
                    result.FaultSeen = true;
                }

                if (isResponse)
                {
                    result.ResponseFound = true;
                }

                if (parent is not null)
                {
                    parent.HasChild = true;
                }

                var frame = new Frame(local, isFault || parent?.InFault == true, isResponse, parent?.IsResponse == true);
                if (selfClosing)
                {
                    Finish(frame, result);
                }
                else
                {
                    open.Add(frame);
                }
            }
        }

        // A body cut short: close what is still open, innermost first.
        for (int k = open.Count - 1; k >= 0; k--)
        {
            Finish(open[k], result);
        }

        return result;
    }

    private static void AppendText(List<Frame> open, ReadOnlySpan<char> text)
    {
        if (open.Count > 0 && !text.IsEmpty)
        {
            open[^1].Text.Append(text);
        }
    }

    private static int SkipPast(string text, int from, string marker)
    {
        int end = text.IndexOf(marker, from, StringComparison.Ordinal);
        return end < 0 ? text.Length : end + marker.Length;
    }

    private static string NameOf(string tag)
    {
        int end = 0;
        while (end < tag.Length && !char.IsWhiteSpace(tag[end]) && tag[end] != '/')
        {
            end++;
        }

        return tag[..end];
    }

    private static void Close(List<Frame> open, string local, Result result)
    {
        int index = open.FindLastIndex(f => Is(f.Local, local));
        if (index < 0)
        {
            return;
        }

        for (int k = open.Count - 1; k >= index; k--)
        {
            Finish(open[k], result);
            open.RemoveAt(k);
        }
    }

    private static void Finish(Frame frame, Result result)
    {
        string value = Decode(frame.Text.ToString());
        if (frame.IsArgument)
        {
            result.Arguments.TryAdd(frame.Local, value);
        }
        else if (frame.IsResponse && !frame.HasChild && value.Trim().Length > 0)
        {
            result.BareValue ??= value.Trim();
        }

        if (frame.InFault)
        {
            string trimmed = value.Trim();
            if (Is(frame.Local, "errorCode")) { result.ErrorCode ??= trimmed; }
            else if (Is(frame.Local, "errorDescription")) { result.ErrorDescription ??= trimmed; }
            else if (Is(frame.Local, "faultstring")) { result.FaultString ??= trimmed; }
        }
    }

    // Only the five predefined entities and numeric references (XML 1.0 §4.6, §4.1); anything else stays as written.
    private static string Decode(string text)
    {
        if (!text.Contains('&', StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            int amp = text.IndexOf('&', i);
            if (amp < 0)
            {
                sb.Append(text, i, text.Length - i);
                break;
            }

            sb.Append(text, i, amp - i);
            int semi = text.IndexOf(';', amp + 1);
            string? replacement = semi < 0 || semi - amp > 10 ? null : Reference(text[(amp + 1)..semi]);
            if (replacement is null)
            {
                sb.Append('&');
                i = amp + 1;
            }
            else
            {
                sb.Append(replacement);
                i = semi + 1;
            }
        }

        return sb.ToString();
    }

    private static string? Reference(string name)
    {
        switch (name)
        {
            case "lt": return "<";
            case "gt": return ">";
            case "amp": return "&";
            case "quot": return "\"";
            case "apos": return "'";
        }

        bool hex = name.StartsWith("#x", StringComparison.OrdinalIgnoreCase);
        if (!name.StartsWith('#'))
        {
            return null;
        }

        bool ok = hex
            ? int.TryParse(name.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code)
            : int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out code);
        return ok && code is > 0 and <= 0x10FFFF && System.Xml.XmlConvert.IsXmlChar(code <= 0xFFFF ? (char)code : 'x') && !(code is >= 0xD800 and <= 0xDFFF)
            ? char.ConvertFromUtf32(code)
            : null;
    }

    private static bool Is(string local, string name) => string.Equals(local, name, StringComparison.OrdinalIgnoreCase);
}
