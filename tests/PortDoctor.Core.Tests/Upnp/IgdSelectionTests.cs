using System.Net;
using System.Text;
using PortDoctor.Core.Net;
using PortDoctor.Core.Upnp;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Tests.Upnp;

/// <summary>
/// Discovery chooses among the WAN services of one device (docs/quirks.md: several WAN connection services)
/// and among several IGDs on one LAN with the same <see cref="IgdRanking"/>, by asking each candidate,
/// against fake routers on loopback addresses.
/// </summary>
public sealed class IgdSelectionTests : IAsyncDisposable
{
    private const string Wan1 = "/upnp/control/cccccccccc/wanipconn-1";
    private const string Wan7 = "/upnp/control/eeeeeeeeee/wanipconn-7";
    private const string Public = "81.2.69.160";
    private const string Private = "10.9.8.7";
    private static readonly GatewayInfo Lo = new(IPAddress.Loopback, IPAddress.Loopback, 8, "lo");
    private readonly HttpClient _http = new(UpnpHttp.CreateHandler());
    private readonly List<FakeIgdServer> _servers = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        foreach (FakeIgdServer server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    private FakeIgdServer Server(string address = "127.0.0.1")
    {
        var server = new FakeIgdServer(address: IPAddress.Parse(address));
        _servers.Add(server);
        return server;
    }

    /// <summary>The MikroTik two-WAN description, its URLBase pointed at the fake router.</summary>
    private FakeIgdServer MikroTik(string? status1, string? external1, string? status7, string? external7)
    {
        FakeIgdServer server = Server();
        string xml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Upnp", "mikrotik-two-wan.xml"));
        server.Description = xml.Replace("http://192.168.88.1:2828", server.BaseUrl.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal);
        server.WanServices[Wan1] = new FakeWanService(SsdpSearchTargets.WanIpConnection1, status1, external1);
        server.WanServices[Wan7] = new FakeWanService(SsdpSearchTargets.WanIpConnection1, status7, external7);
        return server;
    }

    private FakeIgdServer Simple(string address, string friendlyName, string? status, string? external)
    {
        FakeIgdServer server = Server(address);
        server.Description = FakeIgdServer.IgdDescription(friendlyName, ("/ctl/IPConn", SsdpSearchTargets.WanIpConnection1));
        server.WanServices["/ctl/IPConn"] = new FakeWanService(SsdpSearchTargets.WanIpConnection1, status, external);
        return server;
    }

    /// <summary>Answers the multicast IGD:1 search with one reply per server, in the order given.</summary>
    private UpnpDiscoverer Discoverer(params FakeIgdServer[] servers)
    {
        var udp = new FakeUdpTransport((text, to) =>
            UpnpDiscovererTests.SearchTarget(text) == SsdpSearchTargets.InternetGatewayDevice1 && to.Address.Equals(SsdpSearchRequest.MulticastAddress)
                ? servers.Select(s => (UpnpDiscovererTests.Reply(SsdpSearchTargets.InternetGatewayDevice1, s.DescriptionUrl.AbsoluteUri), new IPEndPoint(s.Address, 1900)))
                : []);
        return new UpnpDiscoverer(_ => udp, _http, TimeProvider.System);
    }

    public static TheoryData<string, string?, string?, string?, string?, string> MikroTikCases => new()
    {
        // After tailscale's TestSelectBestService (net/portmapper/select_test.go), on the MikroTik fixture.
        { "first WAN down", "Disconnected", null, "Connected", Public, Wan7 },
        { "first WAN behind another NAT", "Connected", Private, "Connected", Public, Wan7 },
        { "both behind another NAT: document order", "Connected", Private, "Connected", Private, Wan1 },
        { "nothing connected: document order", "Disconnected", null, "Disconnected", null, Wan1 },
        { "GetStatusInfo faults on both: document order", null, null, null, null, Wan1 },
        { "first answers garbage for its address", "Connected", "not-an-ip-addr", "Connected", Public, Wan7 },
        { "connected with a private address beats a status fault", null, Public, "Connected", Private, Wan7 },
        { "TR-064 'Up' counts as connected", "Disconnected", Public, "Up", Private, Wan7 },
    };

    [Theory]
    [MemberData(nameof(MikroTikCases))]
    public async Task Each_WAN_service_of_one_device_is_asked_and_the_best_is_used(string name, string? status1, string? external1, string? status7, string? external7, string expected)
    {
        FakeIgdServer router = MikroTik(status1, external1, status7, external7);
        var log = new List<string>();

        UpnpGateway? found = await Discoverer(router).DiscoverAsync([Lo], log, Ct);

        Assert.True(found is not null, $"{name}: {string.Join(" | ", log)}");
        Assert.Equal(expected, found.ControlUrl.AbsolutePath);
        Assert.Equal(2, found.Ranked.Count);
        Assert.Equal(found.ControlUrl, found.Ranked[0].Gateway.ControlUrl);
        Assert.Equal(found.Ranked[0].Facts, found.ServiceFacts);
        Assert.Equal(2, router.Of(UpnpActions.GetStatusInfo).Select(r => r.Path).Distinct().Count());
        // A service that says it is down is not asked for its address (as tailscale does).
        string[] down = [.. new[] { (Wan1, status1), (Wan7, status7) }.Where(s => s.Item2 == "Disconnected").Select(s => s.Item1)];
        Assert.DoesNotContain(router.Of(UpnpActions.GetExternalIPAddress), r => down.Contains(r.Path));
    }

    [Fact]
    public async Task Across_IGDs_the_better_ranked_wins_not_the_first_to_answer()
    {
        var lan = new GatewayInfo(IPAddress.Parse("127.0.0.9"), IPAddress.Loopback, 8, "lo"); // neither box is the gateway
        FakeIgdServer first = Simple("127.0.0.1", "Inner", "Connected", Private);
        FakeIgdServer second = Simple("127.0.0.2", "Outer", "Connected", Public);
        second.DescriptionDelay = TimeSpan.FromMilliseconds(50); // the better one is also the slower one

        UpnpGateway? found = await Discoverer(first, second).DiscoverAsync([lan], Ct);

        Assert.Equal(second.DescriptionUrl, found!.DescriptionUrl);
        Assert.Equal("Fake IGD (Outer)", found.DisplayName);
        Assert.Equal([second.DescriptionUrl, first.DescriptionUrl], found.Ranked.Select(c => c.Gateway.DescriptionUrl));
        Assert.Equal(IgdExternalAddress.Public, found.ServiceFacts!.Address);
    }

    [Fact]
    public async Task The_default_gateways_IGD_wins_over_a_better_connected_box_elsewhere_on_the_LAN()
    {
        FakeIgdServer elsewhere = Simple("127.0.0.2", "Elsewhere", "Connected", Public);
        FakeIgdServer gateway = Simple("127.0.0.1", "Gateway", "Connected", Private);

        UpnpGateway? found = await Discoverer(elsewhere, gateway).DiscoverAsync([Lo], Ct);

        Assert.Equal(gateway.DescriptionUrl, found!.DescriptionUrl);
        Assert.Equal(IgdPath.DefaultGateway, found.Ranked[0].Path);
        Assert.Equal(IgdPath.OnDefaultSubnet, found.Ranked[1].Path);
    }

    [Fact]
    public async Task Equal_IGDs_are_chosen_the_same_way_whatever_the_order_they_answer_in()
    {
        var lan = new GatewayInfo(IPAddress.Parse("127.0.0.9"), IPAddress.Loopback, 8, "lo");
        FakeIgdServer a = Simple("127.0.0.1", "A", "Connected", Private);
        FakeIgdServer b = Simple("127.0.0.2", "B", "Connected", Private);

        UpnpGateway? ab = await Discoverer(a, b).DiscoverAsync([lan], Ct);
        UpnpGateway? ba = await Discoverer(b, a).DiscoverAsync([lan], Ct);

        Assert.Equal(a.DescriptionUrl, ab!.DescriptionUrl);
        Assert.Equal(a.DescriptionUrl, ba!.DescriptionUrl);
    }
}
