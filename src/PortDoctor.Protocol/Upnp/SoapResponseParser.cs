using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Xml;

namespace PortDoctor.Protocol.Upnp;

/// <summary>
/// Parses SOAP control responses and faults (UDA 1.1 §3.2.2). Elements are found by local name whatever
/// their prefix or namespace (shared case c09), faults whatever the element case (c06). A body using an
/// undeclared prefix is parsed again with namespaces off. DTDs are refused. Never throws on malformed input.
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
            return Conclude(null, null, false, httpStatus, action, out response, out error);
        }

        byte[] bytes = body.ToArray();
        Scan scan;
        try
        {
            scan = Run(XmlReader.Create(new MemoryStream(bytes, writable: false), UpnpXml.HostileSettings(MaxBodyBytes, ignoreWhitespace: false)), action);
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
                scan = Run(CreateWithoutNamespaces(bytes), action);
            }
            catch (XmlException)
            {
                error = UpnpXml.Describe(strict, $"{action} answer");
                return false;
            }
        }

        return Conclude(scan.Fault, scan.Arguments, scan.Found, httpStatus, action, out response, out error);
    }

    private static bool Conclude(UpnpFault? fault, Dictionary<string, string>? arguments, bool found, int httpStatus, string action, [NotNullWhen(true)] out SoapResponse? response, [NotNullWhen(false)] out string? error)
    {
        var empty = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (fault is not null)
        {
            response = new SoapResponse(fault, empty, found);
            error = null;
            return true;
        }

        if (found || httpStatus == 200)
        {
            response = new SoapResponse(null, arguments ?? empty, found);
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

    private sealed record Scan(UpnpFault? Fault, Dictionary<string, string> Arguments, bool Found);

    private static Scan Run(XmlReader reader, string action)
    {
        using (reader)
        {
            string responseName = action + "Response";
            var arguments = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            bool found = false, faultSeen = false;
            int responseDepth = -1, faultDepth = -1;
            string? errorCode = null, errorDescription = null, faultString = null;

            bool more = reader.Read();
            while (more)
            {
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
                        arguments.TryAdd(local, reader.ReadElementContentAsString());
                        more = !reader.EOF;
                        continue;
                    }
                }
                else if (reader.NodeType == XmlNodeType.EndElement)
                {
                    if (reader.Depth == faultDepth) { faultDepth = -1; }
                    if (reader.Depth == responseDepth) { responseDepth = -1; }
                }

                more = reader.Read();
            }

            UpnpFault? fault = null;
            if (faultSeen)
            {
                int? code = int.TryParse(errorCode, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) ? parsed : null;
                fault = new UpnpFault(code, NullIfEmpty(errorDescription), NullIfEmpty(faultString));
            }

            return new Scan(fault, arguments, found);
        }
    }

    private static bool Is(string local, string name) => string.Equals(local, name, StringComparison.OrdinalIgnoreCase);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
