namespace PortDoctor.Protocol.Upnp;

/// <summary>A ready-to-send UPnP control request (UPnP Device Architecture 1.1 §3.2.1): POST it to the control URL.</summary>
/// <param name="ServiceType">The service type URN.</param>
/// <param name="Action">The action name.</param>
/// <param name="Body">The SOAP envelope, UTF-8 without BOM.</param>
public sealed record SoapRequest(string ServiceType, string Action, ReadOnlyMemory<byte> Body)
{
    /// <summary>The Content-Type header value UDA 1.1 §3.2.1 prescribes.</summary>
    public const string ContentType = "text/xml; charset=\"utf-8\"";

    /// <summary>The SOAPAction header name.</summary>
    public const string SoapActionHeaderName = "SOAPAction";

    /// <summary>
    /// The SOAPAction header value <c>"serviceType#action"</c> WITH the double quotes: miniupnpd rejects the
    /// unquoted form as an unknown method (docs/quirks.md#Q-SOAPACTION-QUOTES).
    /// </summary>
    public string SoapActionHeader => $"\"{ServiceType}#{Action}\"";
}
