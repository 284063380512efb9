using System.Net;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Diagnosis.Checks;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Tests.Fakes;

namespace PortDoctor.Core.Tests.Diagnosis;

public sealed class HairpinCheckTests
{
    public static TheoryData<string, TransportProtocol, bool, string?, bool, bool, string> Cases => new()
    {
        // name, protocol, listens, public address, public host, router loops back, expected hairpin evidence ("-": not tried)
        { "router loops back", TransportProtocol.Tcp, true, "11.0.0.2", false, true, "true" },
        { "router lacks hairpin NAT", TransportProtocol.Tcp, true, "11.0.0.2", false, false, "false" },
        { "UDP is not tried", TransportProtocol.Udp, true, "11.0.0.2", false, true, "-" },
        { "nothing listens", TransportProtocol.Tcp, false, "11.0.0.2", false, true, "-" },
        { "public address unknown", TransportProtocol.Tcp, true, null, false, true, "-" },
        { "public host: no NAT", TransportProtocol.Tcp, true, "11.0.0.2", true, true, "-" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Connects_to_the_public_address_once_with_its_timeout(string name, TransportProtocol protocol, bool listens, string? publicAddress, bool publicHost, bool loops, string expected)
    {
        var connector = new FakeTcpConnector();
        if (loops)
        {
            connector.Accept("11.0.0.2:8080");
        }

        var f = new FindingList();

        await HairpinCheck.RunAsync(f, connector, new DiagnoseOptions { Port = 8080, Protocol = protocol }, listens,
            publicAddress is null ? null : IPAddress.Parse(publicAddress), publicHost, TestContext.Current.CancellationToken);

        Assert.True(expected == (f.Items.Count == 0 ? "-" : f.Items[0].Evidence["hairpin"]), name);
        Assert.Equal(expected == "-" ? [] : [(IPEndPoint.Parse("11.0.0.2:8080"), HairpinCheck.ConnectTimeout)], connector.Attempts);
        Assert.All(f.Items, x => Assert.Equal((FindingIds.Hairpin, Severity.Info), (x.Id, x.Severity)));
    }
}
