using PortDoctor.Core.Reachability;

namespace PortDoctor.Core.Tests.Reachability;

public class CheckerEndpointTests
{
    [Theory]
    [InlineData("https://check.example", CheckerKind.PortDoctor, "https://check.example/")]
    [InlineData("  http://check.example:8080/base/  ", CheckerKind.PortDoctor, "http://check.example:8080/base/")]
    [InlineData("portdoctor:https://check.example", CheckerKind.PortDoctor, "https://check.example/")]
    [InlineData("PortDoctor:http://127.0.0.1:9000", CheckerKind.PortDoctor, "http://127.0.0.1:9000/")]
    [InlineData("transmission:https://portcheck.example", CheckerKind.Transmission, "https://portcheck.example/")]
    [InlineData("echoip:https://ifconfig.example/", CheckerKind.EchoIp, "https://ifconfig.example/")]
    [InlineData("echoip:http://[2001:db8::1]:8080", CheckerKind.EchoIp, "http://[2001:db8::1]:8080/")]
    public void Parses_each_form(string text, CheckerKind kind, string baseUri)
    {
        Assert.True(CheckerEndpoint.TryParse(text, out CheckerEndpoint? endpoint, out string? error), error);
        Assert.Equal(kind, endpoint.Kind);
        Assert.Equal(new Uri(baseUri), endpoint.BaseUri);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("   ", "empty")]
    [InlineData("check.example", "not a checker URL")]
    [InlineData("stun:check.example", "Unknown checker kind 'stun'")]
    [InlineData("ftp://check.example", "Unknown checker kind 'ftp'")]
    [InlineData("127.0.0.1:18080", "has no scheme; write http://127.0.0.1:18080")]
    [InlineData("checker.example:8088", "has no scheme; write http://checker.example:8088")]
    [InlineData("localhost:8088", "has no scheme")]
    [InlineData("transmission:ftp://check.example", "scheme 'ftp'")]
    [InlineData("transmission:", "not an absolute URL")]
    [InlineData("echoip:check.example", "not an absolute URL")]
    [InlineData("https://user:pw@check.example", "user name or password")]
    [InlineData("https://check.example/?port=1", "query or fragment")]
    public void Refuses_anything_else_with_the_forms_it_accepts(string? text, string expected)
    {
        Assert.False(CheckerEndpoint.TryParse(text, out CheckerEndpoint? endpoint, out string? error));
        Assert.Null(endpoint);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("transmission:URL", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://check.example/base")]
    [InlineData("transmission:https://portcheck.example")]
    [InlineData("echoip:http://127.0.0.1:8080/")]
    public void ToString_round_trips(string text)
    {
        Assert.True(CheckerEndpoint.TryParse(text, out CheckerEndpoint? endpoint, out _));
        Assert.True(CheckerEndpoint.TryParse(endpoint.ToString(), out CheckerEndpoint? again, out _));
        Assert.Equal(endpoint, again);
    }

    [Fact]
    public void Only_portdoctor_kind_supports_udp_and_address_lookup()
    {
        var uri = new Uri("https://check.example/");
        Assert.True(new CheckerEndpoint(CheckerKind.PortDoctor, uri).SupportsUdp);
        Assert.False(new CheckerEndpoint(CheckerKind.Transmission, uri).SupportsUdp);
        Assert.False(new CheckerEndpoint(CheckerKind.EchoIp, uri).SupportsAddressLookup);
    }

    [Fact]
    public void Resolve_appends_below_a_base_path()
    {
        Assert.True(CheckerEndpoint.TryParse("https://check.example/pd", out CheckerEndpoint? endpoint, out _));
        Assert.Equal(new Uri("https://check.example/pd/api/v1/check"), endpoint.Resolve("api/v1/check"));
    }
}
