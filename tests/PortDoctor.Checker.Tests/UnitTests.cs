using System.Net;
using System.Text;
using Microsoft.Extensions.Primitives;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Checker.Tests;

public class CheckRequestParserTests
{
    [Theory]
    [InlineData("""{"port":1,"protocol":"tcp"}""", 1, TransportProtocol.Tcp, null)]
    [InlineData("""{"protocol":"udp","port":65535,"nonce":"a-Z_9"}""", 65535, TransportProtocol.Udp, "a-Z_9")]
    [InlineData("""{"port":8080,"protocol":"tcp","nonce":null}""", 8080, TransportProtocol.Tcp, null)]
    public void Valid_requests_parse(string json, int port, TransportProtocol protocol, string? nonce)
    {
        Assert.True(CheckRequestParser.TryRead(Encoding.UTF8.GetBytes(json), out ParsedCheckRequest? request, out RequestProblem? problem), problem?.Detail);
        Assert.Equal(new ParsedCheckRequest(port, protocol, nonce), request);
    }

    [Theory]
    [InlineData("", "body")]
    [InlineData("null", "body")]
    [InlineData("""{"port":-1,"protocol":"tcp"}""", "port")]
    [InlineData("""{"port":1e3,"protocol":"tcp"}""", "port")]
    [InlineData("""{"port":true,"protocol":"tcp"}""", "port")]
    [InlineData("""{"port":99999999999,"protocol":"tcp"}""", "port")]
    [InlineData("""{"port":1,"protocol":{"x":1}}""", "protocol")]
    [InlineData("""{"port":1,"protocol":"udp","nonce":"0123456789012345678901234567890123456789012345678901234567890123X"}""", "nonce")]
    [InlineData("""{"port":1,"protocol":"udp","nonce":""}""", "nonce")]
    [InlineData("""{"port":1,"protocol":"tcp","Port":2}""", "Port")]
    public void Invalid_requests_name_the_field_and_never_throw(string json, string field)
    {
        Assert.False(CheckRequestParser.TryRead(Encoding.UTF8.GetBytes(json), out _, out RequestProblem? problem));
        Assert.Equal(field, problem.Field);
        Assert.NotEmpty(problem.Fix);
    }

    [FsCheck.Xunit.Property]
    public bool Arbitrary_bytes_never_throw(byte[] bytes) =>
        CheckRequestParser.TryRead(bytes, out _, out RequestProblem? problem) || problem is not null;
}

public class ForwardedForTests
{
    private static readonly IPNetwork[] Proxy = [IPNetwork.Parse("10.0.0.5/32")];

    [Theory]
    [InlineData("10.0.0.5", "198.51.100.7", "198.51.100.7")]
    [InlineData("10.0.0.5", "192.0.2.1, 198.51.100.7", "198.51.100.7")]
    [InlineData("10.0.0.5", "2001:db8::1", "2001:db8::1")]
    [InlineData("10.0.0.5", "::ffff:198.51.100.7", "198.51.100.7")]
    [InlineData("10.0.0.6", "198.51.100.7", "10.0.0.6")]            // not a trusted peer
    [InlineData("10.0.0.5", "198.51.100.7:1234", "10.0.0.5")]       // ports are not accepted
    [InlineData("10.0.0.5", "[2001:db8::1]:80", "10.0.0.5")]
    [InlineData("10.0.0.5", "1.2", "10.0.0.5")]                     // shorthand IPv4
    [InlineData("10.0.0.5", "unknown", "10.0.0.5")]
    [InlineData("10.0.0.5", "198.51.100.7,,", "10.0.0.5")]
    [InlineData("10.0.0.5", "fe80::1%eth0", "10.0.0.5")]
    [InlineData("::ffff:10.0.0.5", "198.51.100.7", "198.51.100.7")] // mapped peer matches an IPv4 proxy
    public void Resolves_strictly(string peer, string header, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), ForwardedFor.Resolve(IPAddress.Parse(peer), new StringValues(header), Proxy));

    [Fact]
    public void Walks_back_through_a_chain_of_trusted_proxies_only()
    {
        IPNetwork[] proxies = [IPNetwork.Parse("10.0.0.0/24")];
        // client 198.51.100.7 -> untrusted 203.0.113.1 (claims a forged hop) -> 10.0.0.9 -> 10.0.0.5 (peer)
        IPAddress result = ForwardedFor.Resolve(IPAddress.Parse("10.0.0.5"), new StringValues(["192.0.2.66, 203.0.113.1", "10.0.0.9"]), proxies);
        Assert.Equal(IPAddress.Parse("203.0.113.1"), result);
    }

    [Fact]
    public void No_header_returns_the_normalised_peer() =>
        Assert.Equal(IPAddress.Parse("198.51.100.7"), ForwardedFor.Resolve(IPAddress.Parse("::ffff:198.51.100.7"), StringValues.Empty, Proxy));
}

public class AddressMaskTests
{
    [Theory]
    [InlineData("203.0.113.77", false, "203.0.113.x")]
    [InlineData("::ffff:203.0.113.77", false, "203.0.113.x")]
    [InlineData("2001:db8:1:2:3:4:5:6", false, "2001:db8:1::/48")]
    [InlineData("203.0.113.77", true, "203.0.113.77")]
    public void Masks_unless_full(string address, bool full, string expected) =>
        Assert.Equal(expected, AddressMask.Mask(IPAddress.Parse(address), full));
}

public class PageTextTests
{
    [Theory]
    [InlineData(null, "ja-JP", "ja")]
    [InlineData(null, "de, en;q=0.1", "en")]
    [InlineData(null, "ja;q=0, en;q=0.2", "en")]
    [InlineData("JA", "en", "ja")]
    [InlineData("xx", "ja", "ja")]
    [InlineData(null, "garbage;;;q=", "en")]
    public void Chooses_language(string? query, string? acceptLanguage, string expected) =>
        Assert.Equal(expected, PageText.Choose(query, acceptLanguage).Lang);
}
