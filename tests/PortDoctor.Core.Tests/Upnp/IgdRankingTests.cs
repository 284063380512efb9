using System.Net;
using PortDoctor.Core.Net;
using PortDoctor.Core.Upnp;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Tests.Upnp;

public sealed class IgdRankingTests
{
    private static readonly GatewayInfo Home = new(IPAddress.Parse("192.168.1.1"), IPAddress.Parse("192.168.1.20"), 24, "eth0");
    private static readonly GatewayInfo Vpn = new(IPAddress.Parse("10.8.0.1"), IPAddress.Parse("10.8.0.6"), 24, "tun0");
    private static readonly IPAddress Public = IPAddress.Parse("81.2.69.160");
    private static readonly IPAddress Private = IPAddress.Parse("10.9.8.7");

    private static IgdCandidate Candidate(
        string control, string? status, IPAddress? external, GatewayInfo? gateway = null, int gatewayIndex = 0,
        WanConnectionKind kind = WanConnectionKind.WanIpConnection1, int serviceIndex = 0, string? description = null)
    {
        var controlUrl = new Uri(control);
        var service = new WanConnectionService("urn:schemas-upnp-org:service:WANIPConnection:1", kind, controlUrl, null);
        var desc = new UpnpDeviceDescription(null, null, null, null, null, null, null, [service]);
        var device = new UpnpGateway(gateway ?? Home, new Uri(description ?? $"http://{controlUrl.Host}:5000/rootDesc.xml"), desc, service, SsdpSearchTargets.InternetGatewayDevice1, new IPEndPoint(IPAddress.Parse(controlUrl.Host), 1900), 0);
        return new IgdCandidate(device, gatewayIndex, serviceIndex, new IgdServiceFacts(status, external));
    }

    private static string[] Order(params IgdCandidate[] candidates) =>
        [.. IgdRanking.Rank(candidates).Select(c => c.Gateway.ControlUrl.AbsolutePath)];

    [Theory]
    [InlineData("Connected", IgdConnection.Connected)]
    [InlineData("connected", IgdConnection.Connected)]
    [InlineData("Up", IgdConnection.Connected)]
    [InlineData("Disconnected", IgdConnection.NotConnected)]
    [InlineData("Connecting", IgdConnection.NotConnected)]
    [InlineData("Unconfigured", IgdConnection.NotConnected)]
    [InlineData("", IgdConnection.Unknown)]
    [InlineData(null, IgdConnection.Unknown)]
    public void Connection_state_table(string? status, IgdConnection expected) =>
        Assert.Equal(expected, new IgdServiceFacts(status, null).Connection);

    [Theory]
    [InlineData("81.2.69.160", IgdExternalAddress.Public)]
    [InlineData("10.9.8.7", IgdExternalAddress.NotPublic)]
    [InlineData("192.168.0.2", IgdExternalAddress.NotPublic)]
    [InlineData("100.64.12.1", IgdExternalAddress.NotPublic)]
    [InlineData("169.254.3.3", IgdExternalAddress.NotPublic)]
    [InlineData("203.0.113.5", IgdExternalAddress.NotPublic)]
    [InlineData(null, IgdExternalAddress.Unknown)]
    public void External_address_table(string? address, IgdExternalAddress expected) =>
        Assert.Equal(expected, new IgdServiceFacts(null, address is null ? null : IPAddress.Parse(address)).Address);

    [Fact]
    public void Path_is_judged_by_the_control_URL_host_and_the_gateway_order()
    {
        Assert.Equal(IgdPath.DefaultGateway, Candidate("http://192.168.1.1:5000/a", null, null).Path);
        Assert.Equal(IgdPath.OnDefaultSubnet, Candidate("http://192.168.1.7:5000/a", null, null).Path);
        Assert.Equal(IgdPath.OtherGateway, Candidate("http://10.8.0.1:5000/a", null, null, Vpn, 1).Path);
        Assert.Equal(IgdPath.OnOtherSubnet, Candidate("http://10.8.0.9:5000/a", null, null, Vpn, 1).Path);
    }

    public static TheoryData<string, IgdCandidate[], string[]> Cases => new()
    {
        // miniupnpc UPNP_GetValidIGD / tailscale selectBestService: connected with a public address first.
        { "connected beats disconnected", [Candidate("http://192.168.1.1/down", "Disconnected", null), Candidate("http://192.168.1.1/up", "Connected", Public)], ["/up", "/down"] },
        { "public beats private", [Candidate("http://192.168.1.1/nat", "Connected", Private), Candidate("http://192.168.1.1/pub", "Connected", Public)], ["/pub", "/nat"] },
        { "private beats no address", [Candidate("http://192.168.1.1/none", "Connected", null), Candidate("http://192.168.1.1/nat", "Connected", Private)], ["/nat", "/none"] },
        { "connected private beats unknown public", [Candidate("http://192.168.1.1/unk", null, Public), Candidate("http://192.168.1.1/nat", "Connected", Private)], ["/nat", "/unk"] },
        { "unknown beats disconnected", [Candidate("http://192.168.1.1/down", "Disconnected", Public), Candidate("http://192.168.1.1/unk", null, null)], ["/unk", "/down"] },
        // The path comes first: a mapping on a box the traffic does not pass through does not help.
        { "default gateway beats a better box on the LAN", [Candidate("http://192.168.1.9/lan", "Connected", Public), Candidate("http://192.168.1.1/gw", "Connected", Private)], ["/gw", "/lan"] },
        { "the gateway of another interface beats a box on the LAN", [Candidate("http://192.168.1.9/lan", "Connected", Public), Candidate("http://10.8.0.1/vpn", "Connected", Public, Vpn, 1)], ["/vpn", "/lan"] },
        // Ties: better-known service type, then gateway order, description URL, document order.
        { "WANIPConnection:2 before :1 on a tie", [Candidate("http://192.168.1.1/v1", "Connected", Public), Candidate("http://192.168.1.1/v2", "Connected", Public, kind: WanConnectionKind.WanIpConnection2)], ["/v2", "/v1"] },
        { "known PPP before an unknown version", [Candidate("http://192.168.1.1/v3", "Connected", Public, kind: WanConnectionKind.OtherWanIpConnection), Candidate("http://192.168.1.1/ppp2", "Connected", Public, kind: WanConnectionKind.WanPppConnection2)], ["/ppp2", "/v3"] },
        { "document order on a full tie", [Candidate("http://192.168.1.1/second", "Connected", Private, serviceIndex: 1), Candidate("http://192.168.1.1/first", "Connected", Private, serviceIndex: 0)], ["/first", "/second"] },
        { "description URL before document order", [Candidate("http://192.168.1.1/b", null, null, serviceIndex: 0, description: "http://192.168.1.1:5001/d.xml"), Candidate("http://192.168.1.1/a", null, null, serviceIndex: 3, description: "http://192.168.1.1:5000/d.xml")], ["/a", "/b"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ranking_table(string name, IgdCandidate[] candidates, string[] expected)
    {
        Assert.NotEmpty(name);
        Assert.Equal(expected, Order(candidates));
        Assert.Equal(expected, Order([.. candidates.Reverse()])); // the order they arrived in does not matter
    }

    [Fact]
    public void Every_permutation_gives_the_same_order()
    {
        IgdCandidate[] all =
        [
            Candidate("http://192.168.1.1/a", "Connected", Public),
            Candidate("http://192.168.1.1/b", "Connected", Private),
            Candidate("http://192.168.1.1/c", "Disconnected", null),
            Candidate("http://192.168.1.7/d", "Connected", Public),
            Candidate("http://192.168.1.1/e", null, null),
        ];
        string[] expected = ["/a", "/b", "/e", "/c", "/d"];
        foreach (IgdCandidate[] permutation in Permutations(all))
        {
            Assert.Equal(expected, Order(permutation));
        }
    }

    [Fact]
    public void Best_possible_needs_the_default_gateway_connected_and_public()
    {
        Assert.True(Candidate("http://192.168.1.1/a", "Connected", Public).IsBestPossible);
        Assert.False(Candidate("http://192.168.1.1/a", "Connected", Private).IsBestPossible);
        Assert.False(Candidate("http://192.168.1.1/a", null, Public).IsBestPossible);
        Assert.False(Candidate("http://192.168.1.9/a", "Connected", Public).IsBestPossible);
        Assert.Null(IgdRanking.Best([]));
    }

    private static IEnumerable<IgdCandidate[]> Permutations(IgdCandidate[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (int i = 0; i < items.Length; i++)
        {
            IgdCandidate[] rest = [.. items.Take(i), .. items.Skip(i + 1)];
            foreach (IgdCandidate[] tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }
}
