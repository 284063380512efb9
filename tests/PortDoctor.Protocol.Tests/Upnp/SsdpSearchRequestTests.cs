using System.Net;
using System.Text;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Protocol.Tests.Upnp;

public class SsdpSearchRequestTests
{
    [Fact]
    public void Multicast_search_has_the_UDA_headers()
    {
        string text = Encoding.ASCII.GetString(SsdpSearchRequest.BuildMulticast(SsdpSearchTargets.InternetGatewayDevice1, 1));
        Assert.StartsWith("M-SEARCH * HTTP/1.1\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nHOST: 239.255.255.250:1900\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nMAN: \"ssdp:discover\"\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nMX: 1\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Unicast_search_names_the_gateway_and_has_no_MX()
    {
        string text = Encoding.ASCII.GetString(SsdpSearchRequest.BuildUnicast(SsdpSearchTargets.All, IPAddress.Parse("192.168.4.1")));
        Assert.Contains("\r\nHOST: 192.168.4.1:1900\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("MX:", text, StringComparison.Ordinal);
        Assert.Contains("\r\nST: ssdp:all\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_targets_cover_IGD1_IGD2_WANIP_WANPPP_rootdevice_and_ssdp_all()
    {
        Assert.Equal(
            ["urn:schemas-upnp-org:device:InternetGatewayDevice:1", "urn:schemas-upnp-org:device:InternetGatewayDevice:2",
             "urn:schemas-upnp-org:service:WANIPConnection:1", "urn:schemas-upnp-org:service:WANIPConnection:2",
             "urn:schemas-upnp-org:service:WANPPPConnection:1", "upnp:rootdevice", "ssdp:all"],
            SsdpSearchTargets.IgdSearchTargets);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SsdpSearchRequest.BuildMulticast("ssdp:all", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SsdpSearchRequest.BuildMulticast("ssdp:all", 6));
        Assert.Throws<ArgumentException>(() => SsdpSearchRequest.BuildMulticast("ssdp:all\r\nX: y", 1));
    }
}
