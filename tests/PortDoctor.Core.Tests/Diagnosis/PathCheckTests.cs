using System.Net;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Diagnosis.Checks;

namespace PortDoctor.Core.Tests.Diagnosis;

public sealed class PathCheckTests
{
    public static TheoryData<string, string?, string?, string, bool, string, string> Cases => new()
    {
        // name, router's external address, public address, hops, reachable, expected, evidence "key=value"
        { "global address, the same the internet sees", "11.0.0.2", "11.0.0.2", "192.168.77.1 11.0.0.1", false, "", "" },
        { "external address in 100.64/10", "100.64.0.2", "11.0.0.2", "", false, "cgnat:Fault", "externalAddress=100.64.0.2" },
        { "a carrier hop after the router", "11.0.0.2", "11.0.0.2", "192.168.77.1 100.64.0.1 11.0.0.1", false, "cgnat:Fault", "carrierHop=100.64.0.1" },
        { "carrier NAT but reachable anyway", "100.64.0.2", "11.0.0.2", "", true, "cgnat:Warning", "publicAddress=11.0.0.2" },
        { "the router's address is private", "192.168.1.2", "11.0.0.2", "", false, "double-nat:Fault", "secondRouter=192.168.1.2" },
        { "a private hop after the router", null, "11.0.0.2", "192.168.77.1 192.168.1.1 11.0.0.1", false, "double-nat:Fault", "secondRouter=192.168.1.1" },
        { "the router itself again at TTL 2 is no second router", null, "11.0.0.2", "192.168.77.1 192.168.77.1 11.0.0.1", false, "", "" },
        { "double NAT but reachable", "192.168.1.2", "11.0.0.2", "", true, "double-nat:Warning", "firstRouter=192.168.77.1" },
        { "carrier NAT wins over a second router", "192.168.1.2", "11.0.0.2", "192.168.77.1 100.64.0.1", false, "cgnat:Fault", "carrierHop=100.64.0.1" },
        { "global router address the internet does not see", "11.0.0.2", "11.0.0.99", "", false, "cgnat:Fault", "externalAddress=11.0.0.2" },
        { "nothing to compare with", null, "11.0.0.2", "", false, "external-address:Info", "" },
        { "nothing to compare with, but reachable", null, "11.0.0.2", "", true, "", "" },
        { "no public address either", null, null, "", false, "", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Finds_a_second_nat_or_carrier_grade_nat(string name, string? external, string? publicAddress, string hops, bool reachable, string expected, string evidence)
    {
        var f = new FindingList();

        PathCheck.Report(f, Home.Gateway, Parse(external), Parse(publicAddress),
            [.. hops.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(IPAddress.Parse)], reachable);

        Assert.True(expected == FindingAssert.Ids(f), $"{name}: {FindingAssert.Ids(f)}");
        if (evidence.Length > 0)
        {
            var (key, value) = (evidence[..evidence.IndexOf('=', StringComparison.Ordinal)], evidence[(evidence.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            Assert.Equal(value, FindingAssert.Evidence(f.Items[0], key));
        }
    }

    [Fact]
    public void A_public_host_has_no_nat_to_find()
    {
        var f = new FindingList();
        PathCheck.Report(f, Home.PublicHostGateway, Parse("100.64.0.2"), Parse("11.0.0.2"), [IPAddress.Parse("100.64.0.1")], reachable: false);
        Assert.Empty(f.Items);
    }

    private static IPAddress? Parse(string? text) => text is null ? null : IPAddress.Parse(text);
}
