using System.Net;
using PortDoctor.Core.Net;

namespace PortDoctor.Core.Tests.Net;

public class AddressClassTests
{
    [Theory]
    [InlineData("11.0.0.2", AddressKind.Public)]
    [InlineData("8.8.8.8", AddressKind.Public)]
    [InlineData("192.168.225.100", AddressKind.Private)]
    [InlineData("10.1.2.3", AddressKind.Private)]
    [InlineData("172.16.0.1", AddressKind.Private)]
    [InlineData("172.31.255.255", AddressKind.Private)]
    [InlineData("172.32.0.1", AddressKind.Public)]
    [InlineData("100.64.250.247", AddressKind.CarrierGradeNat)]
    [InlineData("100.127.255.255", AddressKind.CarrierGradeNat)]
    [InlineData("100.128.0.1", AddressKind.Public)]
    [InlineData("127.0.0.1", AddressKind.Loopback)]
    [InlineData("169.254.1.1", AddressKind.LinkLocal)]
    [InlineData("0.0.0.0", AddressKind.Unspecified)]
    [InlineData("0.1.2.3", AddressKind.Reserved)]
    [InlineData("192.0.2.1", AddressKind.Reserved)]
    [InlineData("198.51.100.7", AddressKind.Reserved)]
    [InlineData("203.0.113.9", AddressKind.Reserved)]
    [InlineData("198.18.0.1", AddressKind.Reserved)]
    [InlineData("239.255.255.250", AddressKind.Multicast)]
    [InlineData("255.255.255.255", AddressKind.Reserved)]
    [InlineData("::ffff:192.168.1.1", AddressKind.Private)]
    [InlineData("::1", AddressKind.Loopback)]
    [InlineData("::", AddressKind.Unspecified)]
    [InlineData("fe80::1", AddressKind.LinkLocal)]
    [InlineData("fd00::1", AddressKind.Private)]
    [InlineData("ff02::c", AddressKind.Multicast)]
    [InlineData("2001:db8::1", AddressKind.Reserved)]
    [InlineData("2a00:1450::1", AddressKind.Public)]
    public void Classifies_per_rfc6890(string address, AddressKind expected) =>
        Assert.Equal(expected, AddressClass.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("192.168.7.10", 24, "192.168.7.1", true)]
    [InlineData("192.168.7.10", 24, "192.168.8.1", false)]
    [InlineData("10.0.0.5", 8, "10.200.1.1", true)]
    [InlineData("192.168.7.10", 32, "192.168.7.11", false)]
    [InlineData("192.168.7.10", 0, "1.2.3.4", true)]
    public void On_local_subnet_uses_the_prefix(string local, int prefix, string other, bool expected)
    {
        var gw = new GatewayInfo(IPAddress.Parse("192.168.7.1"), IPAddress.Parse(local), prefix, "eth0");
        Assert.Equal(expected, gw.IsOnLocalSubnet(IPAddress.Parse(other)));
    }

    [Fact]
    public void Ipv6_is_never_on_the_ipv4_subnet()
    {
        var gw = new GatewayInfo(IPAddress.Parse("192.168.7.1"), IPAddress.Parse("192.168.7.10"), 24, "eth0");
        Assert.False(gw.IsOnLocalSubnet(IPAddress.Parse("fe80::1")));
    }
}
