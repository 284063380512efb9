using System.Text;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Protocol.Tests.Upnp;

public class UpnpDescriptionParserTests
{
    private static UpnpDeviceDescription Parse(string fixture, string location)
    {
        Assert.True(UpnpDescriptionParser.TryRead(Fixture.Bytes(fixture), new Uri(location), out UpnpDeviceDescription? d, out string? error), error);
        return d;
    }

    [Fact]
    public void Miniupnpd_IGD2_yields_WANIPConnection2_resolved_against_LOCATION()
    {
        UpnpDeviceDescription d = Parse("desc-miniupnpd-igd2.xml", "http://192.168.1.1:5000/rootDesc.xml");
        WanConnectionService s = Assert.Single(d.Services);
        Assert.Equal(WanConnectionKind.WanIpConnection2, s.Kind);
        Assert.True(s.IsIgd2);
        Assert.Equal("urn:schemas-upnp-org:service:WANIPConnection:2", s.ServiceType);
        Assert.Equal(new Uri("http://192.168.1.1:5000/ctl/IPConn"), s.ControlUrl);
        Assert.Equal("urn:upnp-org:serviceId:WANIPConn1", s.ServiceId);
        Assert.Equal("urn:schemas-upnp-org:device:InternetGatewayDevice:2", d.DeviceType);
        Assert.Equal("OpenWrt", d.Manufacturer);
        Assert.Equal("OpenWrt router", d.ModelName);
        Assert.Equal("23.05", d.ModelNumber);
        Assert.Equal("uuid:d3a4c1e2-1111-4b6e-9c2a-0a0b0c0d0e0f", d.Udn);
        Assert.Null(d.UrlBase);
        // The friendly name equals the model name: not repeated.
        Assert.Equal("OpenWrt OpenWrt router", d.ToDisplayName());
    }

    [Fact]
    public void IGD1_nested_with_URLBase_resolves_against_URLBase_and_trims_values()
    {
        UpnpDeviceDescription d = Parse("desc-igd1-nested-urlbase.xml", "http://192.168.1.1:1900/igd.xml");
        WanConnectionService s = Assert.Single(d.Services);
        Assert.Equal(WanConnectionKind.WanIpConnection1, s.Kind);
        Assert.Equal(new Uri("http://192.168.1.1:5431/"), d.UrlBase);
        Assert.Equal("http://192.168.1.1:5431/uuid:00000000-0000-0001-0002-f8e4fb1a2b3c/WANIPConnection:1", s.ControlUrl.AbsoluteUri);
        Assert.Equal("Cable Gateway", d.FriendlyName);
        Assert.Equal("CableCo CG3000 (Cable Gateway)", d.ToDisplayName());
        Assert.Equal("3000-B", d.ModelNumber);
    }

    [Fact]
    public void No_namespace_absolute_controlURL_wins_and_keeps_query()
    {
        UpnpDeviceDescription d = Parse("desc-no-namespace.xml", "http://192.168.243.1:49152/desc.xml");
        WanConnectionService s = Assert.Single(d.Services);
        Assert.Equal(new Uri("http://192.168.243.1:80/upnp/control?WANIPConnection"), s.ControlUrl);
        Assert.Equal("?WANIPConnection", s.ControlUrl.Query);
        Assert.Equal("/upnp/control", s.ControlUrl.AbsolutePath);
        Assert.Equal(new Uri("http://192.168.243.1"), d.UrlBase);
        Assert.Equal("ExampleNet XR-120N (Home Router)", d.ToDisplayName());
        Assert.Equal("v1.0", d.ModelNumber);
        Assert.Equal("uuid:11111111-2222-3333-4444-555555555555", d.Udn);
    }

    [Fact]
    public void Dslforum_WANPPPConnection_is_accepted_with_its_own_type()
    {
        UpnpDeviceDescription d = Parse("desc-dslforum.xml", "http://192.168.178.1:49000/tr64desc.xml");
        WanConnectionService s = Assert.Single(d.Services);
        Assert.Equal(WanConnectionKind.DslForumWanPppConnection1, s.Kind);
        Assert.Equal("urn:dslforum-org:service:WANPPPConnection:1", s.ServiceType);
        Assert.Equal(new Uri("http://192.168.178.1:49000/upnp/control/wanpppconn1"), s.ControlUrl);
        Assert.Equal("ExampleDSL Box 7000", d.ToDisplayName()); // friendly name already contained
    }

    [Fact]
    public void WANPPPConnection_only_device_is_usable()
    {
        UpnpDeviceDescription d = Parse("desc-ppp-only.xml", "http://10.0.0.138:80/DeviceDescription.xml");
        Assert.Equal(WanConnectionKind.WanPppConnection1, d.PreferredService!.Kind);
        Assert.Equal(new Uri("http://10.0.0.138/upnp/control/WANPPPConnection"), d.PreferredService.ControlUrl);
    }

    [Fact]
    public void Two_WAN_services_prefer_WANIPConnection_and_expose_both()
    {
        UpnpDeviceDescription d = Parse("desc-two-wan-services.xml", "http://192.168.2.1:8080/root.xml");
        Assert.Equal([WanConnectionKind.WanIpConnection1, WanConnectionKind.WanPppConnection1], d.Services.Select(s => s.Kind));
        Assert.Equal("/ctl/ip", d.PreferredService!.ControlUrl.AbsolutePath);
    }

    [Fact]
    public void Relative_controlURL_without_leading_slash_merges_with_LOCATION_directory()
    {
        UpnpDeviceDescription d = Parse("desc-relative-no-slash.xml", "http://192.168.8.1:5000/upnp/rootDesc.xml");
        Assert.Equal("http://192.168.8.1:5000/upnp/control/ipc?svc=1", d.PreferredService!.ControlUrl.AbsoluteUri);
        Assert.Equal("Pocket&Net", d.Manufacturer);
    }

    [Fact]
    public void Device_without_WAN_service_parses_but_has_no_preferred_service()
    {
        UpnpDeviceDescription d = Parse("desc-media-server.xml", "http://192.168.1.20:8200/rootDesc.xml");
        Assert.Empty(d.Services);
        Assert.Null(d.PreferredService);
        Assert.Equal("urn:schemas-upnp-org:device:MediaServer:1", d.DeviceType);
    }

    [Fact]
    public void Description_with_DOCTYPE_is_rejected()
    {
        Assert.False(UpnpDescriptionParser.TryRead(Fixture.Bytes("desc-doctype.xml"), new Uri("http://192.168.1.1/d.xml"), out _, out string? error));
        Assert.Contains("DTD", error, StringComparison.Ordinal);
        Assert.False(UpnpDescriptionParser.TryRead(Fixture.Text("desc-doctype.xml"), new Uri("http://192.168.1.1/d.xml"), out _, out string? textError));
        Assert.Contains("DTD", textError, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversize_description_is_rejected_before_parsing()
    {
        string big = Fixture.Text("desc-ppp-only.xml").Replace("<specVersion>", "<!--" + new string('x', UpnpDescriptionParser.MaxDescriptionBytes) + "--><specVersion>", StringComparison.Ordinal);
        Assert.False(UpnpDescriptionParser.TryRead(Encoding.UTF8.GetBytes(big), new Uri("http://192.168.1.1/d.xml"), out _, out string? error));
        Assert.Contains("limit", error, StringComparison.Ordinal);
        Assert.False(UpnpDescriptionParser.TryRead(big, new Uri("http://192.168.1.1/d.xml"), out _, out _));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("<html><body>Login</body></html>", "not <root>")]
    [InlineData("<root xmlns=\"urn:schemas-upnp-org:device-1-0\"><specVersion/></root>", "no <device>")]
    [InlineData("<root><device>", "not well-formed")]
    public void Malformed_descriptions_are_rejected_with_a_reason(string xml, string reason)
    {
        Assert.False(UpnpDescriptionParser.TryRead(xml, new Uri("http://192.168.1.1/d.xml"), out UpnpDeviceDescription? d, out string? error));
        Assert.Null(d);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_http_control_URLs_are_dropped()
    {
        const string xml = "<root><device><serviceList>" +
            "<service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>file:///etc/passwd</controlURL></service>" +
            "<service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>https://192.168.1.1/ctl</controlURL></service>" +
            "<service><serviceType>urn:schemas-upnp-org:service:WANPPPConnection:1</serviceType><controlURL>/ppp</controlURL></service>" +
            "</serviceList></device></root>";
        Assert.True(UpnpDescriptionParser.TryRead(xml, new Uri("http://192.168.1.1/d.xml"), out UpnpDeviceDescription? d, out _));
        Assert.Equal(new Uri("http://192.168.1.1/ppp"), Assert.Single(d.Services).ControlUrl);
    }

    [Theory]
    [InlineData("urn:schemas-upnp-org:service:WANIPConnection:2", WanConnectionKind.WanIpConnection2)]
    [InlineData("urn:schemas-upnp-org:service:WANIPConnection:1", WanConnectionKind.WanIpConnection1)]
    [InlineData(" urn:schemas-upnp-org:service:wanpppconnection:1 ", WanConnectionKind.WanPppConnection1)]
    [InlineData("urn:dslforum-org:service:WANIPConnection:1", WanConnectionKind.DslForumWanIpConnection1)]
    [InlineData("urn:dslforum-org:service:WANPPPConnection:1", WanConnectionKind.DslForumWanPppConnection1)]
    public void Service_types_classify_in_preference_order(string type, WanConnectionKind kind)
    {
        Assert.True(WanConnectionService.TryClassify(type, out WanConnectionKind got));
        Assert.Equal(kind, got);
    }

    [Fact]
    public void Unknown_service_types_do_not_classify()
    {
        Assert.False(WanConnectionService.TryClassify("urn:schemas-upnp-org:service:Layer3Forwarding:1", out _));
        Assert.False(WanConnectionService.TryClassify(null, out _));
    }
}
