using System.Net;
using System.Text;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Protocol.Tests.Upnp;

public class UpnpExternalAddressTests
{
    private static byte[] Answer(string value) => Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><u:GetExternalIPAddressResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">" +
        $"<NewExternalIPAddress>{value}</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>");

    [Fact]
    public void Garbage_body_gives_unknown_not_an_exception()
    {
        (int status, byte[] body) = Fixture.HttpResponse("external-ip-garbage.bin");
        Assert.Equal(200, status);
        Assert.Contains((byte)0xFF, body);
        Assert.False(SoapResponseParser.TryRead(body, status, UpnpActions.GetExternalIPAddress, out _, out string? error));
        Assert.Contains("not well-formed", error, StringComparison.Ordinal);
        Assert.Null(UpnpExternalAddress.FromResponse(body, status));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0.0.0.0")]
    [InlineData("127.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("0.1.2.3")]
    [InlineData("1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3")]
    [InlineData("fe80::1")]
    [InlineData("(null)")]
    public void Useless_values_are_unknown(string value)
    {
        Assert.Null(UpnpExternalAddress.Interpret(value));
        Assert.Null(UpnpExternalAddress.FromResponse(Answer(value), 200));
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData(" 198.51.100.20 ")]
    [InlineData("192.168.225.100")]
    [InlineData("100.64.250.247")]
    public void Usable_values_are_returned_unclassified(string value) =>
        Assert.Equal(IPAddress.Parse(value.Trim()), UpnpExternalAddress.FromResponse(Answer(value), 200));

    [Fact]
    public void Empty_element_and_fault_give_unknown()
    {
        Assert.Null(UpnpExternalAddress.FromResponse(Encoding.UTF8.GetBytes("<u:GetExternalIPAddressResponse xmlns:u=\"x\"><NewExternalIPAddress/></u:GetExternalIPAddressResponse>"), 200));
        Assert.Null(UpnpExternalAddress.FromResponse(Fixture.Bytes("fault-402-soap-prefix.xml"), 500));
    }
}
