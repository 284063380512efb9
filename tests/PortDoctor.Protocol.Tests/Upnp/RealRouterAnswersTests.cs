using System.Net;
using System.Text;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Protocol.Tests.Upnp;

/// <summary>Descriptions, SOAP answers and SSDP replies of real routers (Fixtures/Routers/README.md says where each
/// came from; docs/quirks.md, "UPnP IGD descriptions and answers", why each is read the way it is).</summary>
public class RealRouterAnswersTests
{
    private static string Router(string name) => Path.Combine("Routers", name);

    // Kind 1: any version of WANIPConnection / WANPPPConnection, known ones first.

    [Theory]
    [InlineData("urn:schemas-upnp-org:service:WANPPPConnection:2", WanConnectionKind.WanPppConnection2)]
    [InlineData("urn:schemas-upnp-org:service:WANIPConnection:3", WanConnectionKind.OtherWanIpConnection)]
    [InlineData("urn:schemas-upnp-org:service:WANPPPConnection:3", WanConnectionKind.OtherWanPppConnection)]
    [InlineData("urn:schemas-upnp-org:service:WANIPConnection", WanConnectionKind.OtherWanIpConnection)]
    [InlineData("urn:dslforum-org:service:WANIPConnection:2", WanConnectionKind.OtherWanIpConnection)]
    [InlineData("URN:DSLFORUM-ORG:SERVICE:WANPPPCONNECTION:2", WanConnectionKind.OtherWanPppConnection)]
    [InlineData("urn:schemas-upnp-org:service:WANIPConnection:2", WanConnectionKind.WanIpConnection2)]
    [InlineData("urn:schemas-upnp-org:service:WANPPPConnection:1", WanConnectionKind.WanPppConnection1)]
    public void Every_version_of_the_WAN_connection_services_classifies(string type, WanConnectionKind kind)
    {
        Assert.True(WanConnectionService.TryClassify(type, out WanConnectionKind got));
        Assert.Equal(kind, got);
    }

    [Theory]
    [InlineData("urn:schemas-upnp-org:service:WANIPConnectionX:1")]
    [InlineData("urn:schemas-upnp-org:service:WANIPConnection:")]
    [InlineData("urn:schemas-upnp-org:service:WANIPConnection:0")]
    [InlineData("urn:schemas-upnp-org:service:WANIPConnection:x")]
    [InlineData("urn:schemas-upnp-org:service:WANIPConnection:1:2")]
    [InlineData("urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1")]
    [InlineData("urn:example-org:service:WANIPConnection:1")]
    [InlineData("")]
    public void Look_alike_types_still_do_not_classify(string type) =>
        Assert.False(WanConnectionService.TryClassify(type, out _));

    [Fact]
    public void Livebox_declaring_only_WANPPPConnection2_is_a_usable_IGD()
    {
        Assert.True(UpnpDescriptionParser.TryRead(Fixture.Bytes(Router("livebox-igd2-wanpppconnection2.xml")), new Uri("http://192.168.1.1:49152/rootDesc.xml"), out UpnpDeviceDescription? d, out string? error), error);
        WanConnectionService s = Assert.Single(d.Services);
        Assert.Same(s, d.PreferredService);
        Assert.Equal(WanConnectionKind.WanPppConnection2, s.Kind);
        Assert.Equal("urn:schemas-upnp-org:service:WANPPPConnection:2", s.ServiceType); // sent back as spelt
        Assert.Equal(2, s.Version);
        Assert.False(s.IsIgd2); // no AddAnyPortMapping on a PPP service
        Assert.Equal(new Uri("http://192.168.1.1:49152/upnp/control/WANPPPConn1"), s.ControlUrl);
        Assert.Equal("Sagemcom Livebox 5 (Orange Livebox)", d.ToDisplayName());
    }

    [Fact]
    public void Known_versions_come_before_unknown_ones_whatever_the_document_order()
    {
        const string xml = "<root><device><serviceList>" +
            "<service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:3</serviceType><controlURL>/v3</controlURL></service>" +
            "<service><serviceType>urn:schemas-upnp-org:service:WANPPPConnection:2</serviceType><controlURL>/ppp2</controlURL></service>" +
            "<service><serviceType>urn:schemas-upnp-org:service:WANPPPConnection:1</serviceType><controlURL>/ppp1</controlURL></service>" +
            "</serviceList></device></root>";
        Assert.True(UpnpDescriptionParser.TryRead(xml, new Uri("http://192.168.1.1/d.xml"), out UpnpDeviceDescription? d, out _));
        Assert.Equal(["/ppp1", "/ppp2", "/v3"], d.Services.Select(s => s.ControlUrl.AbsolutePath));
    }

    // Kind 2 (parsing side): every WAN service of a multi-WAN box is listed, in document order.

    [Fact]
    public void MikroTik_with_two_WAN_devices_lists_both_services_against_URLBase()
    {
        Assert.True(UpnpDescriptionParser.TryRead(Fixture.Bytes(Router("mikrotik-two-wan.xml")), new Uri("http://192.168.88.1:2828/rootDesc.xml"), out UpnpDeviceDescription? d, out string? error), error);
        Assert.Equal(
            [new Uri("http://192.168.88.1:2828/upnp/control/cccccccccc/wanipconn-1"), new Uri("http://192.168.88.1:2828/upnp/control/eeeeeeeeee/wanipconn-7")],
            d.Services.Select(s => s.ControlUrl));
        Assert.All(d.Services, s => Assert.Equal(WanConnectionKind.WanIpConnection1, s.Kind));
    }

    // Kind 3: lenient reading of SOAP answers, with the repair reported.

    public static TheoryData<string, int, string, int?, string?, SoapRepairs> Faults => new()
    {
        { "mikrotik-fault-725-cut-short.xml", 500, UpnpActions.AddPortMapping, 725, "OnlyPermanentLeasesSupported", SoapRepairs.FaultRecovered },
        { "fault-402-end-tag-case.xml", 500, UpnpActions.AddPortMapping, 402, "Invalid Args", SoapRepairs.FaultRecovered },
        { "../fault-725-camelcase.xml", 500, UpnpActions.AddPortMapping, 725, "OnlyPermanentLeasesSupported", SoapRepairs.None },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void Fault_code_is_recovered_from_a_body_that_is_not_well_formed(string file, int status, string action, int? code, string? description, SoapRepairs repairs)
    {
        Assert.True(SoapResponseParser.TryRead(Fixture.Bytes(Router(file)), status, action, out SoapResponse? r, out string? error), error);
        Assert.False(r.IsSuccess);
        Assert.Equal(code, r.Fault!.RawCode);
        Assert.Equal(description, r.Fault.ErrorDescription);
        Assert.Equal("UPnPError", r.Fault.FaultString);
        Assert.Equal(repairs, r.Repairs);
    }

    public static TheoryData<string, int, string, string, string, SoapRepairs> Values => new()
    {
        { "external-ip-bare-value.xml", 200, UpnpActions.GetExternalIPAddress, "NewExternalIPAddress", "81.2.69.160", SoapRepairs.BareValue },
        { "external-ip-cut-short.xml", 200, UpnpActions.GetExternalIPAddress, "NewExternalIPAddress", "81.2.69.160", SoapRepairs.ArgumentsRecovered },
        { "../soap-response-undeclared-prefix.xml", 200, UpnpActions.GetExternalIPAddress, "NewExternalIPAddress", "11.22.33.44", SoapRepairs.UndeclaredPrefixes },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Single_values_are_read_where_peers_read_them(string file, int status, string action, string argument, string value, SoapRepairs repairs)
    {
        byte[] body = Fixture.Bytes(Router(file));
        Assert.True(SoapResponseParser.TryRead(body, status, action, out SoapResponse? r, out string? error), error);
        Assert.True(r.IsSuccess);
        Assert.True(r.ResponseElementFound);
        Assert.Equal(value, r.Arguments[argument]);
        Assert.Equal(repairs, r.Repairs);
        Assert.Equal(IPAddress.Parse(value), UpnpExternalAddress.FromResponse(body, status));
    }

    [Theory]
    [InlineData("<u:AddAnyPortMappingResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:2\"> 40001 </u:AddAnyPortMappingResponse>", "AddAnyPortMapping", "NewReservedPort", "40001", SoapRepairs.BareValue)]
    [InlineData("<u:AddAnyPortMappingResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:2\">40001</u:AddAnyPortMapping", "AddAnyPortMapping", "NewReservedPort", "40001", SoapRepairs.ArgumentsRecovered | SoapRepairs.BareValue)]
    [InlineData("<s:Envelope><s:Body><u:GetExternalIPAddressResponse><NewExternalIPAddress>1.2.3.4 &amp; more</NewExternalIPAddress></s:Body>", "GetExternalIPAddress", "NewExternalIPAddress", "1.2.3.4 & more", SoapRepairs.ArgumentsRecovered)]
    [InlineData("<s:Envelope><s:Body><u:GetExternalIPAddressResponse><NewExternalIPAddress>a&nbsp;b&#x41;&#0;</NewExternalIPAddress></u:getexternalipaddressresponse></S:BODY>", "GetExternalIPAddress", "NewExternalIPAddress", "a&nbsp;bA&#0;", SoapRepairs.ArgumentsRecovered)]
    [InlineData("<s:Envelope><s:Body><u:GetExternalIPAddressResponse><![CDATA[5.6.7.8]]><!-- x --></u:GetExternalIPAddressResponse></s:Body></s:Envelope>", "GetExternalIPAddress", "NewExternalIPAddress", "5.6.7.8", SoapRepairs.UndeclaredPrefixes | SoapRepairs.BareValue)]
    public void Repairs_table(string body, string action, string argument, string value, SoapRepairs repairs)
    {
        Assert.True(SoapResponseParser.TryRead(Encoding.UTF8.GetBytes(body), 200, action, out SoapResponse? r, out string? error), error);
        Assert.Equal(value, r.Arguments[argument].Trim());
        Assert.Equal(repairs, r.Repairs);
    }

    [Fact]
    public void A_bare_value_is_not_guessed_for_actions_with_several_out_arguments()
    {
        const string body = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><u:GetSpecificPortMappingEntryResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">8080</u:GetSpecificPortMappingEntryResponse></s:Body></s:Envelope>";
        Assert.True(SoapResponseParser.TryRead(Encoding.UTF8.GetBytes(body), 200, UpnpActions.GetSpecificPortMappingEntry, out SoapResponse? r, out _));
        Assert.Empty(r.Arguments);
        Assert.Equal(SoapRepairs.None, r.Repairs);
    }

    [Theory]
    [InlineData("<!DOCTYPE x [<!ENTITY a \"725\">]><s:Fault><errorCode>&a;</errorCode>")] // DTD in a broken body: still refused
    [InlineData("<s:Fault><errorCode>725</errorCode><!ENTITY a \"b\">")]
    [InlineData("<s:Envelope><s:Body><junk>725</junk>")] // neither a fault nor the response
    [InlineData("not xml at all, errorCode 725")]
    public void Hostile_or_empty_broken_bodies_stay_errors(string body)
    {
        Assert.False(SoapResponseParser.TryRead(Encoding.UTF8.GetBytes(body), 500, UpnpActions.AddPortMapping, out SoapResponse? r, out string? error));
        Assert.Null(r);
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Nesting_deeper_than_the_cap_is_refused_well_formed_or_not(bool wellFormed)
    {
        string open = string.Concat(Enumerable.Repeat("<a>", UpnpXml.MaxElementDepth + 5));
        string close = wellFormed ? string.Concat(Enumerable.Repeat("</a>", UpnpXml.MaxElementDepth + 5)) : "<b";
        string body = $"<s:Fault>{open}<errorCode>725</errorCode>{close}</s:Fault>";
        Assert.False(SoapResponseParser.TryRead(Encoding.UTF8.GetBytes(body), 500, UpnpActions.AddPortMapping, out _, out string? error));
        Assert.Contains("deeper", error, StringComparison.Ordinal);
    }

    // Kind 4: replies with ST: upnp:rootdevice or uuid:… are candidates; the description decides.

    [Theory]
    [InlineData("archer-c8-ssdp-rootdevice.txt", SsdpTargetKind.RootDevice)]
    [InlineData("archer-c8-ssdp-uuid.txt", SsdpTargetKind.DeviceUuid)]
    [InlineData("../ssdp-reply-igd.txt", SsdpTargetKind.InternetGateway)]
    [InlineData("../ssdp-reply-wfadevice.txt", SsdpTargetKind.Other)]
    public void Replies_are_classified_by_what_their_ST_promises(string file, SsdpTargetKind kind)
    {
        Assert.True(SsdpResponseParser.TryRead(Fixture.Bytes(Router(file)), out SsdpResponse? reply, out string? error), error);
        Assert.Equal(kind, SsdpSearchTargets.Classify(reply.SearchTarget));
    }

    [Theory]
    [InlineData("UPNP:ROOTDEVICE", SsdpTargetKind.RootDevice)]
    [InlineData(" upnp:rootdevice ", SsdpTargetKind.RootDevice)]
    [InlineData("uuid:060b7353-fca6-4070-85f4-1fbfb9add62c", SsdpTargetKind.DeviceUuid)]
    [InlineData("uuid:", SsdpTargetKind.Other)]
    [InlineData("uuid:1::upnp:rootdevice", SsdpTargetKind.Other)]
    [InlineData("urn:schemas-upnp-org:service:WANPPPConnection:2", SsdpTargetKind.InternetGateway)]
    [InlineData("urn:schemas-upnp-org:device:MediaServer:1", SsdpTargetKind.Other)]
    [InlineData(null, SsdpTargetKind.Other)]
    public void Search_target_table(string? st, SsdpTargetKind kind) => Assert.Equal(kind, SsdpSearchTargets.Classify(st));
}
