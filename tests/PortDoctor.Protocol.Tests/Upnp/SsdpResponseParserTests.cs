using System.Text;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Protocol.Tests.Upnp;

public class SsdpResponseParserTests
{
    private static bool Read(string text, out SsdpResponse? response, out string? error) =>
        SsdpResponseParser.TryRead(Encoding.ASCII.GetBytes(text), out response, out error);

    [Fact]
    public void Reply_with_unspaced_ST_and_mixed_case_Location_is_accepted()
    {
        Assert.True(SsdpResponseParser.TryRead(Fixture.Bytes("ssdp-reply-from-random-port.txt"), out SsdpResponse? reply, out string? error), error);
        Assert.Equal(new Uri("http://192.168.4.1:1900/igd4711.xml"), reply.Location);
        Assert.Equal("urn:schemas-upnp-org:device:InternetGatewayDevice:1", reply.SearchTarget);
        Assert.Equal("uuid:0a1b2c3d-0000-1000-8000-00aabbccddee::urn:schemas-upnp-org:device:InternetGatewayDevice:1", reply.UniqueServiceName);
        Assert.Equal("Linux/3.10 UPnP/1.0 Router/1.0", reply.Server);
        Assert.Equal("max-age=120", reply.Headers["cache-control"]);
        Assert.Equal(string.Empty, reply.Headers["EXT"]);
        Assert.True(SsdpSearchTargets.IsInternetGatewayRelated(reply.SearchTarget));
    }

    [Fact]
    public void Both_replies_parse_and_only_the_IGD_is_IGD_related()
    {
        Assert.True(SsdpResponseParser.TryRead(Fixture.Bytes("ssdp-reply-wfadevice.txt"), out SsdpResponse? wfa, out _));
        Assert.True(SsdpResponseParser.TryRead(Fixture.Bytes("ssdp-reply-igd.txt"), out SsdpResponse? igd, out _));
        Assert.False(SsdpSearchTargets.IsInternetGatewayRelated(wfa.SearchTarget));
        Assert.True(SsdpSearchTargets.IsInternetGatewayRelated(igd.SearchTarget));
        Assert.Equal(new Uri("http://192.168.0.1:49153/a1b2c3/gatedesc0b.xml"), igd.Location);
        Assert.Equal(1990, wfa.Location.Port);
    }

    [Fact]
    public void Header_names_are_case_insensitive_and_values_trimmed()
    {
        Assert.True(Read("HTTP/1.1 200 OK\r\nlocation:\t http://10.0.0.1:5000/rootDesc.xml  \r\nsT:   urn:schemas-upnp-org:service:WANIPConnection:2 \r\nusn:uuid:x\r\n\r\n", out SsdpResponse? r, out string? error), error);
        Assert.Equal("http://10.0.0.1:5000/rootDesc.xml", r!.Location.ToString());
        Assert.Equal("urn:schemas-upnp-org:service:WANIPConnection:2", r.SearchTarget);
        Assert.Equal("uuid:x", r.UniqueServiceName);
        Assert.Null(r.Server);
    }

    [Fact]
    public void Bare_LF_line_ends_and_HTTP_1_0_are_accepted()
    {
        Assert.True(Read("HTTP/1.0 200 OK\nST: upnp:rootdevice\nLOCATION: http://10.0.0.1/d.xml\n\n", out SsdpResponse? r, out string? error), error);
        Assert.Equal("upnp:rootdevice", r!.SearchTarget);
    }

    [Fact]
    public void First_duplicate_header_wins_and_lines_without_colon_are_skipped()
    {
        Assert.True(Read("HTTP/1.1 200 OK\r\ngarbage line\r\nST: a:b\r\nLOCATION: http://10.0.0.1/one.xml\r\nLOCATION: http://10.0.0.1/two.xml\r\n\r\n", out SsdpResponse? r, out _));
        Assert.Equal("/one.xml", r!.Location.AbsolutePath);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n", "no LOCATION header")]
    [InlineData("HTTP/1.1 200 OK\r\nST: x\r\nLOCATION:\r\n\r\n", "no LOCATION header")]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: http://10.0.0.1/d.xml\r\n\r\n", "no ST header")]
    [InlineData("HTTP/1.1 404 Not Found\r\nST: x\r\nLOCATION: http://10.0.0.1/d.xml\r\n\r\n", "status 404")]
    [InlineData("HTTP/1.1 OK\r\n\r\n", "has no status code")]
    [InlineData("NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\nLOCATION: http://10.0.0.1/d.xml\r\n\r\n", "a NOTIFY message")]
    [InlineData("M-SEARCH * HTTP/1.1\r\nST: ssdp:all\r\n\r\n", "a M-SEARCH message")]
    [InlineData("SSDP/1.0 200 OK\r\n\r\n", "is not HTTP/1.x")]
    [InlineData("HTTP/1.1 200 OK\r\nST: x\r\nLOCATION: /rootDesc.xml\r\n\r\n", "is not an absolute http:// URL")]
    [InlineData("HTTP/1.1 200 OK\r\nST: x\r\nLOCATION: ftp://10.0.0.1/d.xml\r\n\r\n", "is not an absolute http:// URL")]
    [InlineData("HTTP/1.1 200 OK\r\nST: x\r\nLOCATION: https://10.0.0.1/d.xml\r\n\r\n", "is not an absolute http:// URL")]
    public void Unusable_replies_are_rejected_with_a_reason(string datagram, string reason)
    {
        Assert.False(Read(datagram, out SsdpResponse? r, out string? error));
        Assert.Null(r);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_and_oversize_datagrams_are_rejected()
    {
        Assert.False(SsdpResponseParser.TryRead([], out _, out string? empty));
        Assert.Equal("empty datagram", empty);
        Assert.False(SsdpResponseParser.TryRead(new byte[SsdpResponseParser.MaxDatagramBytes + 1], out _, out string? big));
        Assert.Contains("larger than", big, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_characters_in_rejected_values_are_not_echoed()
    {
        Assert.False(Read("HTTP/1.1 200 OK\r\nST: x\r\nLOCATION: \u001b[31mevil\r\n\r\n", out _, out string? error));
        Assert.DoesNotContain("\u001b", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("urn:schemas-upnp-org:device:InternetGatewayDevice:1", true)]
    [InlineData("urn:schemas-upnp-org:device:InternetGatewayDevice:2", true)]
    [InlineData("URN:SCHEMAS-UPNP-ORG:SERVICE:WANIPCONNECTION:2", true)]
    [InlineData("urn:schemas-upnp-org:service:WANPPPConnection:1", true)]
    [InlineData("urn:schemas-upnp-org:device:WANConnectionDevice:1", true)]
    [InlineData("urn:dslforum-org:service:WANPPPConnection:1", true)]
    [InlineData("urn:schemas-wifialliance-org:device:WFADevice:1", false)]
    [InlineData("urn:schemas-upnp-org:device:MediaServer:1", false)]
    [InlineData("upnp:rootdevice", false)]
    [InlineData("uuid:0a1b2c3d-0000-1000-8000-00aabbccddee", false)]
    [InlineData("urn:evil-org:device:InternetGatewayDevice:1", false)]
    [InlineData("", false)]
    public void IGD_search_targets_are_recognised(string st, bool expected) =>
        Assert.Equal(expected, SsdpSearchTargets.IsInternetGatewayRelated(st));
}
