using System.Text;
using System.Xml.Linq;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Protocol.Tests.Upnp;

public class SoapRequestBuilderTests
{
    private const string Wanip1 = "urn:schemas-upnp-org:service:WANIPConnection:1";
    private static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";

    private static XElement ActionElement(SoapRequest request)
    {
        XDocument doc = XDocument.Parse(Encoding.UTF8.GetString(request.Body.Span));
        Assert.Equal(Soap + "Envelope", doc.Root!.Name);
        Assert.Equal("http://schemas.xmlsoap.org/soap/encoding/", doc.Root.Attribute(Soap + "encodingStyle")!.Value);
        XElement body = Assert.Single(doc.Root.Elements());
        Assert.Equal(Soap + "Body", body.Name);
        return Assert.Single(body.Elements());
    }

    [Fact]
    public void AddPortMapping_envelope_has_every_argument_in_order_and_upper_case_protocol()
    {
        var entry = new PortMappingEntry("", 8080, "udp", 8081, "192.168.1.10", true, "stream <&> \"x\"", 3600);
        SoapRequest request = SoapRequestBuilder.AddPortMapping(Wanip1, entry);

        Assert.Equal("\"urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping\"", request.SoapActionHeader);
        Assert.Equal("text/xml; charset=\"utf-8\"", SoapRequest.ContentType);
        XElement action = ActionElement(request);
        Assert.Equal(XName.Get("AddPortMapping", Wanip1), action.Name);
        Assert.Equal(
            ["NewRemoteHost", "NewExternalPort", "NewProtocol", "NewInternalPort", "NewInternalClient", "NewEnabled", "NewPortMappingDescription", "NewLeaseDuration"],
            action.Elements().Select(e => e.Name.LocalName));
        Assert.All(action.Elements(), e => Assert.Equal(XNamespace.None, e.Name.Namespace));
        Assert.Equal(["", "8080", "UDP", "8081", "192.168.1.10", "1", "stream <&> \"x\"", "3600"], action.Elements().Select(e => e.Value));
        Assert.Contains("stream &lt;&amp;&gt; &quot;x&quot;", Encoding.UTF8.GetString(request.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Body_is_UTF8_without_BOM()
    {
        SoapRequest request = SoapRequestBuilder.AddPortMapping(Wanip1, new PortMappingEntry("", 1, "TCP", 1, "10.0.0.2", false, "ポート", 0));
        Assert.Equal((byte)'<', request.Body.Span[0]);
        Assert.Contains("ポート", Encoding.UTF8.GetString(request.Body.Span), StringComparison.Ordinal);
        Assert.Equal("0", ActionElement(request).Elements().Single(e => e.Name.LocalName == "NewEnabled").Value);
    }

    [Fact]
    public void AddAnyPortMapping_uses_its_own_action_name()
    {
        const string wanip2 = "urn:schemas-upnp-org:service:WANIPConnection:2";
        SoapRequest request = SoapRequestBuilder.AddAnyPortMapping(wanip2, new PortMappingEntry("", 8080, "tcp", 8080, "10.0.0.2", true, "d", 604800));
        Assert.Equal("\"urn:schemas-upnp-org:service:WANIPConnection:2#AddAnyPortMapping\"", request.SoapActionHeader);
        Assert.Equal(XName.Get("AddAnyPortMapping", wanip2), ActionElement(request).Name);
    }

    [Fact]
    public void Key_actions_carry_remote_host_port_and_protocol()
    {
        foreach (SoapRequest request in new[]
        {
            SoapRequestBuilder.GetSpecificPortMappingEntry(Wanip1, "", 443, "Tcp"),
            SoapRequestBuilder.DeletePortMapping(Wanip1, "", 443, "tcp"),
        })
        {
            XElement action = ActionElement(request);
            Assert.Equal(["NewRemoteHost", "NewExternalPort", "NewProtocol"], action.Elements().Select(e => e.Name.LocalName));
            Assert.Equal(["", "443", "TCP"], action.Elements().Select(e => e.Value));
            Assert.Equal($"\"{Wanip1}#{request.Action}\"", request.SoapActionHeader);
        }
    }

    [Fact]
    public void Argumentless_and_index_actions()
    {
        Assert.Empty(ActionElement(SoapRequestBuilder.GetExternalIPAddress(Wanip1)).Elements());
        Assert.Equal("GetStatusInfo", ActionElement(SoapRequestBuilder.GetStatusInfo(Wanip1)).Name.LocalName);
        XElement generic = ActionElement(SoapRequestBuilder.GetGenericPortMappingEntry(Wanip1, 7));
        Assert.Equal("7", Assert.Single(generic.Elements(), e => e.Name.LocalName == "NewPortMappingIndex").Value);
    }

    [Fact]
    public void Dslforum_service_type_is_used_verbatim()
    {
        SoapRequest request = SoapRequestBuilder.GetExternalIPAddress("urn:dslforum-org:service:WANPPPConnection:1");
        Assert.Equal("\"urn:dslforum-org:service:WANPPPConnection:1#GetExternalIPAddress\"", request.SoapActionHeader);
    }

    [Fact]
    public void Characters_XML_cannot_carry_are_dropped_and_CR_is_kept_as_a_reference()
    {
        SoapRequest request = SoapRequestBuilder.AddPortMapping(Wanip1, new PortMappingEntry("", 1, "TCP", 1, "10.0.0.2", true, "a\u0001b\rc", 0));
        Assert.Equal("ab\rc", ActionElement(request).Elements().Single(e => e.Name.LocalName == "NewPortMappingDescription").Value);
    }

    [Fact]
    public void Invalid_inputs_throw()
    {
        var ok = new PortMappingEntry("", 80, "TCP", 80, "10.0.0.2", true, "", 0);
        Assert.Throws<ArgumentException>(() => SoapRequestBuilder.AddPortMapping(Wanip1, ok with { Protocol = "SCTP" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SoapRequestBuilder.AddPortMapping(Wanip1, ok with { ExternalPort = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SoapRequestBuilder.AddPortMapping(Wanip1, ok with { InternalPort = 65536 }));
        Assert.Throws<ArgumentException>(() => SoapRequestBuilder.GetExternalIPAddress("urn:x\"#y"));
        Assert.Throws<ArgumentException>(() => SoapRequestBuilder.Build(Wanip1, "Bad Action", []));
        Assert.Throws<ArgumentException>(() => SoapRequestBuilder.Build(Wanip1, "X", [new("a<b", "v")]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SoapRequestBuilder.GetGenericPortMappingEntry(Wanip1, -1));
    }
}
