using System.Globalization;
using System.Text;
using System.Xml;

namespace PortDoctor.Protocol.Upnp;

/// <summary>Builds SOAP control requests for the IGD actions (UPnP Device Architecture 1.1 §3.2.1).</summary>
public static class SoapRequestBuilder
{
    private const string EnvelopeNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
    private const string EncodingStyle = "http://schemas.xmlsoap.org/soap/encoding/";

    /// <summary>Builds a request for any action. Argument values are XML-escaped; characters XML cannot carry are dropped.</summary>
    /// <param name="serviceType">The service type URN (namespace of the action element and SOAPAction).</param>
    /// <param name="action">The action name (letters, digits, underscore).</param>
    /// <param name="arguments">The in-arguments, in the order the service description lists them.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException">The service type or action is empty or holds characters that would break the header or XML.</exception>
    public static SoapRequest Build(string serviceType, string action, IReadOnlyList<KeyValuePair<string, string>> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceType);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        if (serviceType.Any(c => c is '"' or '#' or '<' or '>' or '&' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"Service type '{serviceType}' holds characters not allowed in a URN.", nameof(serviceType));
        }

        foreach (string name in arguments.Select(a => a.Key).Prepend(action))
        {
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new ArgumentException($"'{name}' is not a valid UPnP action or argument name.", nameof(arguments));
            }
        }

        var xml = new StringBuilder(512)
            .Append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n")
            .Append("<s:Envelope xmlns:s=\"").Append(EnvelopeNamespace).Append("\" s:encodingStyle=\"").Append(EncodingStyle).Append("\">")
            .Append("<s:Body><u:").Append(action).Append(" xmlns:u=\"").Append(serviceType).Append("\">");
        foreach ((string name, string value) in arguments)
        {
            xml.Append('<').Append(name).Append('>');
            AppendEscaped(xml, value ?? string.Empty);
            xml.Append("</").Append(name).Append('>');
        }

        xml.Append("</u:").Append(action).Append("></s:Body></s:Envelope>\r\n");
        return new SoapRequest(serviceType, action, new UTF8Encoding(false).GetBytes(xml.ToString()));
    }

    /// <summary>GetExternalIPAddress (no arguments).</summary>
    /// <param name="serviceType">The WAN*Connection service type.</param>
    /// <returns>The request.</returns>
    public static SoapRequest GetExternalIPAddress(string serviceType) => Build(serviceType, UpnpActions.GetExternalIPAddress, []);

    /// <summary>GetStatusInfo (no arguments).</summary>
    /// <param name="serviceType">The WAN*Connection service type.</param>
    /// <returns>The request.</returns>
    public static SoapRequest GetStatusInfo(string serviceType) => Build(serviceType, UpnpActions.GetStatusInfo, []);

    /// <summary>AddPortMapping with all eight arguments in specification order.</summary>
    /// <param name="serviceType">The WAN*Connection service type.</param>
    /// <param name="entry">The mapping; the protocol is sent upper-case.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException">The protocol is not TCP/UDP or a port is outside 1–65535.</exception>
    public static SoapRequest AddPortMapping(string serviceType, PortMappingEntry entry) => BuildMapping(serviceType, UpnpActions.AddPortMapping, entry);

    /// <summary>AddAnyPortMapping (IGD:2 only); same arguments as AddPortMapping.</summary>
    /// <param name="serviceType">The WANIPConnection:2 service type.</param>
    /// <param name="entry">The mapping; ExternalPort is the wanted port.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException">The protocol is not TCP/UDP or a port is outside 1–65535.</exception>
    public static SoapRequest AddAnyPortMapping(string serviceType, PortMappingEntry entry) => BuildMapping(serviceType, UpnpActions.AddAnyPortMapping, entry);

    /// <summary>GetSpecificPortMappingEntry.</summary>
    /// <param name="serviceType">The WAN*Connection service type.</param>
    /// <param name="remoteHost">NewRemoteHost; empty for any.</param>
    /// <param name="externalPort">1–65535.</param>
    /// <param name="protocol">"TCP" or "UDP" in any case; sent upper-case.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException">The protocol is not TCP/UDP or the port is outside 1–65535.</exception>
    public static SoapRequest GetSpecificPortMappingEntry(string serviceType, string remoteHost, int externalPort, string protocol) =>
        Build(serviceType, UpnpActions.GetSpecificPortMappingEntry, PortTriple(remoteHost, externalPort, protocol));

    /// <summary>GetGenericPortMappingEntry.</summary>
    /// <param name="serviceType">The WAN*Connection service type.</param>
    /// <param name="index">The table index, 0–65535.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0–65535.</exception>
    public static SoapRequest GetGenericPortMappingEntry(string serviceType, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, ushort.MaxValue);
        return Build(serviceType, UpnpActions.GetGenericPortMappingEntry, [new("NewPortMappingIndex", Number(index))]);
    }

    /// <summary>DeletePortMapping.</summary>
    /// <param name="serviceType">The WAN*Connection service type.</param>
    /// <param name="remoteHost">NewRemoteHost; empty for any.</param>
    /// <param name="externalPort">1–65535.</param>
    /// <param name="protocol">"TCP" or "UDP" in any case; sent upper-case.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException">The protocol is not TCP/UDP or the port is outside 1–65535.</exception>
    public static SoapRequest DeletePortMapping(string serviceType, string remoteHost, int externalPort, string protocol) =>
        Build(serviceType, UpnpActions.DeletePortMapping, PortTriple(remoteHost, externalPort, protocol));

    private static SoapRequest BuildMapping(string serviceType, string action, PortMappingEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        CheckPort(entry.InternalPort, nameof(entry));
        List<KeyValuePair<string, string>> arguments = PortTriple(entry.RemoteHost, entry.ExternalPort, entry.Protocol);
        arguments.Add(new("NewInternalPort", Number(entry.InternalPort)));
        arguments.Add(new("NewInternalClient", entry.InternalClient ?? string.Empty));
        arguments.Add(new("NewEnabled", entry.Enabled ? "1" : "0"));
        arguments.Add(new("NewPortMappingDescription", entry.Description ?? string.Empty));
        arguments.Add(new("NewLeaseDuration", entry.LeaseSeconds.ToString(CultureInfo.InvariantCulture)));
        return Build(serviceType, action, arguments);
    }

    private static List<KeyValuePair<string, string>> PortTriple(string remoteHost, int externalPort, string protocol)
    {
        CheckPort(externalPort, nameof(externalPort));
        return
        [
            new("NewRemoteHost", remoteHost ?? string.Empty),
            new("NewExternalPort", Number(externalPort)),
            new("NewProtocol", NormalizeProtocol(protocol)),
        ];
    }

    /// <summary>Upper-cases and checks a protocol name.</summary>
    /// <param name="protocol">"tcp"/"udp" in any case.</param>
    /// <returns>"TCP" or "UDP".</returns>
    /// <exception cref="ArgumentException">Anything else.</exception>
    public static string NormalizeProtocol(string protocol)
    {
        string upper = (protocol ?? string.Empty).Trim().ToUpperInvariant();
        return upper is "TCP" or "UDP"
            ? upper
            : throw new ArgumentException($"Protocol '{protocol}' is not TCP or UDP.", nameof(protocol));
    }

    private static void CheckPort(int port, string paramName)
    {
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(paramName, port, "A port must be 1–65535.");
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void AppendEscaped(StringBuilder xml, string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '&': xml.Append("&amp;"); break;
                case '<': xml.Append("&lt;"); break;
                case '>': xml.Append("&gt;"); break;
                case '"': xml.Append("&quot;"); break;
                case '\'': xml.Append("&apos;"); break;
                case '\r': xml.Append("&#xD;"); break; // a raw CR would be normalised away by the reader
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        xml.Append(c).Append(value[++i]);
                    }
                    else if (XmlConvert.IsXmlChar(c))
                    {
                        xml.Append(c);
                    }

                    break;
            }
        }
    }
}
