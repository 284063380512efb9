using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Diagnosis.Checks;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;

namespace PortDoctor.Core.Tests.Diagnosis;

public sealed class NetworkCheckTests
{
    public static TheoryData<string, string, string> Networks => new()
    {
        // name, gateways, expected findings
        { "no gateway", "", "no-network:Fault" },
        { "home LAN", "home", "network:Info" },
        { "public host", "public", "network:Info public-host:Info" },
        { "two gateways: the first one counts", "public home", "network:Info public-host:Info" },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Reports_the_first_gateway_or_no_network(string name, string gateways, string expected)
    {
        var list = gateways.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(g => g == "home" ? Home.Gateway : Home.PublicHostGateway).ToList();
        var f = new FindingList();

        GatewayInfo? gw = NetworkCheck.Run(f, list);

        Assert.True(expected == FindingAssert.Ids(f), name);
        Assert.Equal(list.FirstOrDefault(), gw);
    }

    [Fact]
    public void The_network_finding_names_address_interface_and_gateway()
    {
        var f = new FindingList();
        NetworkCheck.Run(f, [Home.Gateway]);
        var network = FindingAssert.Single(f, FindingIds.Network);
        Assert.Equal(("192.168.77.10", "192.168.77.1", "eth0"),
            (network.Evidence["lanAddress"], network.Evidence["gateway"], network.Evidence["interface"]));
    }
}

public sealed class PortRangeCheckTests
{
    [Theory]
    [InlineData(1, "port-below-1024:Warning")]
    [InlineData(80, "port-below-1024:Warning")]
    [InlineData(1023, "port-below-1024:Warning")]
    [InlineData(1024, "")]
    [InlineData(8080, "")]
    [InlineData(65535, "")]
    public void Warns_below_the_registered_range(int port, string expected)
    {
        var f = new FindingList();
        PortRangeCheck.Run(f, port);
        Assert.Equal(expected, FindingAssert.Ids(f));
    }
}

public sealed class ListenerCheckTests
{
    [Theory]
    [InlineData(TransportProtocol.Tcp, 8080, true, "listener:Info")]
    [InlineData(TransportProtocol.Udp, 8080, true, "listener:Info")]
    [InlineData(TransportProtocol.Tcp, 9090, false, "nothing-listening:Fault")]
    public void Tells_who_listens_or_that_nothing_does(TransportProtocol protocol, int port, bool listens, string expected)
    {
        var f = new FindingList();

        bool result = ListenerCheck.Run(f, new OwnersFake(8080), protocol, port);

        Assert.Equal(listens, result);
        Assert.Equal(expected, FindingAssert.Ids(f));
        var finding = Assert.Single(f.Items);
        Assert.Equal(listens ? "encoder" : "<none>", FindingAssert.Evidence(finding, "processes"));
        Assert.Equal(listens ? null : "Diag.Fix.StartProgram", finding.Fix?.Key);
    }
}
