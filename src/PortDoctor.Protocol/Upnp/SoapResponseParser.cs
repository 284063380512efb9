using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Xml;

namespace PortDoctor.Protocol.Upnp;

/// <summary>
/// Parses SOAP control responses and faults (UDA 1.1 §3.2.2). Elements are found by local name whatever
/// their prefix or namespace, faults whatever the element case (docs/quirks.md). A body using an undeclared
/// prefix is parsed again with namespaces off; a body that is not well-formed is read by a tolerant scan
/// for its fault code and out-arguments; a lone value written directly inside the <c>…Response</c> element
/// is taken as the action's single out-argument. Each repair is reported in <see cref="SoapResponse.Repairs"/>.
/// DTDs are refused and nesting is capped. Never throws on malformed input.
/// </summary>
public static class SoapResponseParser
{
    /// <summary>The largest body accepted, in bytes: 64 KiB (real answers are under 2 KiB).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Parses a control response body.</summary>
    /// <param name="body">The HTTP body.</param>
    /// <param name="httpStatus">The HTTP status code (200 for success, 500 for a fault).</param>
    /// <param name="action">The action that was invoked; its <c>&lt;ActionResponse&gt;</c> is looked for.</param>
    /// <param name="response">The fault or arguments when true.</param>
    /// <param name="error">Why the body could not be used when false.</param>
    /// <returns>True when the body is a fault, a response, or (with HTTP 200) a body with neither.</returns>
    /// <exception cref="ArgumentException"><paramref name="action"/> is empty.</exception>
    public static bool TryRead(ReadOnlySpan<byte> body, int httpStatus, string action, [NotNullWhen(true)] out SoapResponse? response, [NotNullWhen(false)] out string? error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        response = null;
        if (body.Length > MaxBodyBytes)
        {
            error = $"the {action} answer is {body.Length} bytes, more than the {MaxBodyBytes}-byte limit";
            return false;
        }

        if (body.Trim((ReadOnlySpan<byte>)" \t\r\n"u8).IsEmpty)
        {
            return Conclude(new Scan(null, null, false, null, SoapRepairs.None), httpStatus, action, out response, out error);
        }

        byte[] bytes = body.ToArray();
        Scan? scan;
        try
        {
            scan = Run(XmlReader.Create(new MemoryStream(bytes, writable: false), UpnpXml.HostileSettings(MaxBodyBytes, ignoreWhitespace: false)), action, SoapRepairs.None);
        }
        catch (XmlException strict)
        {
            if (strict.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
            {
                error = UpnpXml.Describe(strict, $"{action} answer");
                return false;
            }

            try
            {
                // Old UPnP SDKs use prefixes they never declare; with namespaces off the prefix is just part of the name.
                scan = Run(CreateWithoutNamespaces(bytes), action, SoapRepairs.UndeclaredPrefixes);
            }
            catch (XmlException)
            {
                scan = Tolerant(bytes, action, out bool refused);
                if (scan is null)
                {
                    error = refused
                        ? $"the {action} answer is neither well-formed nor readable: it declares a DTD or nests deeper than {UpnpXml.MaxElementDepth} elements"
                        : UpnpXml.Describe(strict, $"{action} answer");
                    return false;
                }
            }
        }

        if (scan is null)
        {
            error = $"the {action} answer nests deeper than {UpnpXml.MaxElementDepth} elements, refused";
            return false;
        }

        return Conclude(scan, httpStatus, action, out response, out error);
    }

    private static bool Conclude(Scan scan, int httpStatus, string action, [NotNullWhen(true)] out SoapResponse? response, [NotNullWhen(false)] out string? error)
    {
        var empty = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (scan.Fault is not null)
        {
            response = new SoapResponse(scan.Fault, empty, scan.Found) { Repairs = scan.Repairs };
            error = null;
            return true;
        }

        if (scan.Found || httpStatus == 200)
        {
            Dictionary<string, string> arguments = scan.Arguments ?? empty;
            SoapRepairs repairs = scan.Repairs;
            if (arguments.Count == 0 && scan.BareValue is not null && UpnpActions.SingleOutArgument(action) is string name)
            {
                arguments = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [name] = scan.BareValue };
                repairs |= SoapRepairs.BareValue;
            }

            response = new SoapResponse(null, arguments, scan.Found) { Repairs = repairs };
            error = null;
            return true;
        }

        response = null;
        error = $"HTTP {httpStatus} without a SOAP fault or {action}Response";
        return false;
    }

    private static XmlTextReader CreateWithoutNamespaces(byte[] bytes) => new(new MemoryStream(bytes, writable: false))
    {
        Namespaces = false,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        WhitespaceHandling = WhitespaceHandling.All,
    };

    private sealed record Scan(UpnpFault? Fault, Dictionary<string, string>? Arguments, bool Found, string? BareValue, SoapRepairs Repairs);

    /// <summary>The last resort for a body that is not well-formed: only what it yields is used, and only a fault
    /// or the response element counts (a body with neither stays an error).</summary>
    private static Scan? Tolerant(byte[] bytes, string action, out bool refused)
    {
        LenientSoapScanner.Result r = LenientSoapScanner.Scan(Encoding.UTF8.GetString(bytes), action + "Response");
        refused = r.Refused || r.TooDeep;
        if (refused)
        {
            return null;
        }

        if (r.FaultSeen)
        {
            return new Scan(ToFault(r.ErrorCode, r.ErrorDescription, r.FaultString), null, r.ResponseFound, null, SoapRepairs.FaultRecovered);
        }

        return r.ResponseFound
            ? new Scan(null, r.Arguments, true, r.BareValue, SoapRepairs.ArgumentsRecovered)
            : null;
    }

    /// <summary>Null when the document nests deeper than <see cref="UpnpXml.MaxElementDepth"/>.</summary>
    private static Scan? Run(XmlReader reader, string action, SoapRepairs repairs)
    {
        using (reader)
        {
            string responseName = action + "Response";
            var arguments = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            bool found = false, faultSeen = false, responseHasChild = false;
            int responseDepth = -1, faultDepth = -1;
            string? errorCode = null, errorDescription = null, faultString = null;
            var bare = new StringBuilder();

            bool more = reader.Read();
            while (more)
            {
                if (reader.Depth > UpnpXml.MaxElementDepth)
                {
                    return null;
                }

                if (reader.NodeType == XmlNodeType.Element)
                {
                    string local = UpnpXml.LocalPart(reader.Name);
                    if (faultDepth >= 0 && reader.Depth > faultDepth)
                    {
                        string? value = null;
                        if (Is(local, "errorCode") || Is(local, "errorDescription") || Is(local, "faultstring"))
                        {
                            value = reader.ReadElementContentAsString().Trim();
                            if (Is(local, "errorCode")) { errorCode ??= value; }
                            else if (Is(local, "errorDescription")) { errorDescription ??= value; }
                            else { faultString ??= value; }

                            more = !reader.EOF;
                            continue;
                        }
                    }
                    else if (Is(local, "Fault"))
                    {
                        faultSeen = true;
                        faultDepth = reader.IsEmptyElement ? -1 : reader.Depth;
                    }
                    else if (responseDepth < 0 && !found && Is(local, responseName))
                    {
                        found = true;
                        responseDepth = reader.IsEmptyElement ? -1 : reader.Depth;
                    }
                    else if (responseDepth >= 0 && reader.Depth == responseDepth + 1)
                    {
                        responseHasChild = true;
                        arguments.TryAdd(local, reader.ReadElementContentAsString());
                        more = !reader.EOF;
                        continue;
                    }
                }
                else if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA && responseDepth >= 0 && reader.Depth == responseDepth + 1)
                {
                    bare.Append(reader.Value);
                }
                else if (reader.NodeType == XmlNodeType.EndElement)
                {
                    if (reader.Depth == faultDepth) { faultDepth = -1; }
                    if (reader.Depth == responseDepth) { responseDepth = -1; }
                }

                more = reader.Read();
            }

            UpnpFault? fault = faultSeen ? ToFault(errorCode, errorDescription, faultString) : null;
            string bareValue = bare.ToString().Trim();
            return new Scan(fault, arguments, found, responseHasChild || bareValue.Length == 0 ? null : bareValue, repairs);
        }
    }

    private static UpnpFault ToFault(string? errorCode, string? errorDescription, string? faultString)
    {
        int? code = int.TryParse(errorCode, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) ? parsed : null;
        return new UpnpFault(code, NullIfEmpty(errorDescription), NullIfEmpty(faultString));
    }

    private static bool Is(string local, string name) => string.Equals(local, name, StringComparison.OrdinalIgnoreCase);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
