using PortDoctor.Integration.Tests.Harness;

namespace PortDoctor.Integration.Tests;

/// <summary>
/// Proves the "home" testbed behaves like a real home router, using the peer tools (miniupnpc's
/// upnpc, libnatpmp's natpmpc) against the real miniupnpd.
/// </summary>
[Collection(TestbedSerialGroup.Name)]
public sealed class HomeVariantTests
{
    [Fact]
    public async Task Upnpc_finds_the_IGD_and_reports_the_router_WAN_address_as_external_IP()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        await using var tb = await Testbed.UpAsync("home");

        var result = await tb.UpnpcAsync("-l");

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains($"desc: http://{tb.RouterLanIp}:5000/rootDesc.xml", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Found valid IGD", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"Local LAN ip address : {tb.PcIp}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"ExternalIPAddress = {tb.RouterWanIp}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(tb.RouterWanIp, tb.PublicIp);
    }

    [Fact]
    public async Task Upnp_mapping_opens_the_port_from_the_internet_and_deleting_it_closes_it_again()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        await using var tb = await Testbed.UpAsync("home");
        await tb.StartHttpServerAsync(Host.Pc, tb.PcIp, 8080);

        // Without a mapping the router drops unsolicited WAN traffic.
        Assert.False(await tb.CanConnectTcpAsync(Host.Inet, tb.RouterWanIp, 8080, TestbedTestHelpers.BlockedConnectTimeout));
        Assert.Empty(await tb.RouterMappingRulesAsync());

        var add = await tb.UpnpcAsync("-e", "portdoctor-testbed", "-a", tb.PcIp, "8080", "8080", "TCP");
        Assert.True(add.Succeeded, add.ToString());
        Assert.Contains($"external {tb.RouterWanIp}:8080 TCP is redirected to internal {tb.PcIp}:8080", add.StandardOutput, StringComparison.Ordinal);

        var rules = await tb.RouterMappingRulesAsync();
        Assert.Contains(rules, r => r.StartsWith("prerouting_miniupnpd:", StringComparison.Ordinal)
            && r.Contains("dport 8080", StringComparison.Ordinal)
            && r.Contains($"dnat ip to {tb.PcIp}:8080", StringComparison.Ordinal));
        Assert.Contains(rules, r => r.StartsWith("miniupnpd:", StringComparison.Ordinal)
            && r.Contains("dport 8080", StringComparison.Ordinal)
            && r.EndsWith("accept", StringComparison.Ordinal));
        var listing = await tb.UpnpcAsync("-l");
        Assert.Contains($"TCP  8080->{tb.PcIp}:8080  'portdoctor-testbed'", listing.StandardOutput, StringComparison.Ordinal);

        Assert.True(await tb.CanConnectTcpAsync(Host.Inet, tb.RouterWanIp, 8080, TimeSpan.FromSeconds(5)));
        Assert.Contains("Directory listing", await tb.HttpGetAsync(Host.Inet, $"http://{tb.RouterWanIp}:8080/"), StringComparison.Ordinal);

        var delete = await tb.UpnpcAsync("-d", "8080", "TCP");
        Assert.True(delete.Succeeded, delete.ToString());
        Assert.Contains("UPNP_DeletePortMapping() returned : 0", delete.StandardOutput, StringComparison.Ordinal);

        Assert.Empty(await tb.RouterMappingRulesAsync());
        Assert.False(await tb.CanConnectTcpAsync(Host.Inet, tb.RouterWanIp, 8080, TestbedTestHelpers.BlockedConnectTimeout));
    }

    [Fact]
    public async Task Natpmpc_maps_a_port_and_a_zero_lifetime_removes_it()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        await using var tb = await Testbed.UpAsync("home");

        var publicAddress = await tb.NatpmpcAsync();
        Assert.True(publicAddress.Succeeded, publicAddress.ToString());
        Assert.Contains($"Public IP address : {tb.RouterWanIp}", publicAddress.StandardOutput, StringComparison.Ordinal);

        var map = await tb.NatpmpcAsync("-a", "8081", "8081", "tcp", "3600");
        Assert.True(map.Succeeded, map.ToString());
        Assert.Contains("Mapped public port 8081 protocol TCP to local port 8081", map.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(await tb.RouterMappingRulesAsync(), r => r.Contains($"dnat ip to {tb.PcIp}:8081", StringComparison.Ordinal));

        await tb.StartHttpServerAsync(Host.Pc, tb.PcIp, 8081);
        Assert.True(await tb.CanConnectTcpAsync(Host.Inet, tb.RouterWanIp, 8081, TimeSpan.FromSeconds(5)));

        var unmap = await tb.NatpmpcAsync("-a", "8081", "8081", "tcp", "0");
        Assert.True(unmap.Succeeded, unmap.ToString());
        Assert.Empty(await tb.RouterMappingRulesAsync());
    }

    [Fact]
    public async Task A_checker_command_runs_on_the_internet_host_and_sees_the_router_WAN_address()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        // Any HTTP server stands in for `portdoctor serve`: it proves the checker is started, waited for, and reachable.
        await using var tb = await Testbed.UpAsync("home", "python3 -u -m http.server 8088 --bind 11.0.0.1");

        Assert.Equal($"http://{tb.InetIp}:8088", tb.CheckerUrl);
        await tb.HttpGetAsync(Host.Pc, tb.CheckerUrl + "/");

        var log = await File.ReadAllTextAsync(Path.Combine(tb.RunDirectory, "logs", "checker.log"), TestContext.Current.CancellationToken);
        Assert.Contains($"{tb.PublicIp} - - ", log, StringComparison.Ordinal);
        Assert.DoesNotContain(tb.PcIp, log, StringComparison.Ordinal);
    }
}
