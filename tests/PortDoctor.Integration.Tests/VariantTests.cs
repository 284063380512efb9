using PortDoctor.Integration.Tests.Harness;

namespace PortDoctor.Integration.Tests;

/// <summary>Each variant shows the router behaviour it is named after, seen through the peer tools.</summary>
[Collection(TestbedSerialGroup.Name)]
public sealed class VariantTests
{
    [Theory]
    [InlineData("home", true, true)]
    [InlineData("no-upnp", false, false)]
    [InlineData("natpmp-only", false, true)]
    [InlineData("upnp-only", true, false)]
    public async Task The_router_offers_exactly_the_protocols_of_the_variant(string variant, bool upnp, bool natPmp)
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        await using var tb = await Testbed.UpAsync(variant);

        var upnpc = await tb.UpnpcAsync("-s");
        Assert.Equal(upnp, upnpc.StandardOutput.Contains($"ExternalIPAddress = {tb.RouterWanIp}", StringComparison.Ordinal));
        if (!upnp)
        {
            Assert.Contains("No IGD UPnP Device found", upnpc.StandardOutput + upnpc.StandardError, StringComparison.Ordinal);
        }

        var natpmpc = await tb.NatpmpcAsync();
        Assert.Equal(natPmp, natpmpc.Succeeded);
        Assert.Equal(natPmp, natpmpc.StandardOutput.Contains($"Public IP address : {tb.RouterWanIp}", StringComparison.Ordinal));

        // miniupnpd 2.3.1 switches PCP together with NAT-PMP; 0 is SUCCESS.
        Assert.Equal(natPmp ? 0 : null, await tb.PcpAnnounceResultAsync());
    }

    [Theory]
    [InlineData("home", "urn:schemas-upnp-org:device:InternetGatewayDevice:2")]
    [InlineData("igd1", "urn:schemas-upnp-org:device:InternetGatewayDevice:1")]
    public async Task The_device_description_announces_the_IGD_version_of_the_variant(string variant, string deviceType)
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        await using var tb = await Testbed.UpAsync(variant);

        var description = await tb.HttpGetAsync(Host.Pc, $"http://{tb.RouterLanIp}:5000/rootDesc.xml");

        Assert.Contains($"<deviceType>{deviceType}</deviceType>", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_firewall_blocks_a_mapped_port_until_the_pc_allows_it()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        await using var tb = await Testbed.UpAsync("host-firewall");
        // The start-up wait connects from inside the PC, which its firewall lets through (loopback).
        await tb.StartHttpServerAsync(Host.Pc, tb.PcIp, 8080);

        // NAT-PMP works through the host firewall: the router's reply matches the request's conntrack entry.
        var map = await tb.NatpmpcAsync("-a", "8080", "8080", "tcp", "600");
        Assert.True(map.Succeeded, map.ToString());
        Assert.False(await tb.CanConnectTcpAsync(Host.Inet, tb.RouterWanIp, 8080, TestbedTestHelpers.BlockedConnectTimeout));

        // SSDP replies come from the router's unicast address, which conntrack does not tie to the
        // multicast M-SEARCH, so this firewall hides the IGD from multicast discovery.
        var upnpc = await tb.UpnpcAsync("-s");
        Assert.Contains("No IGD UPnP Device found", upnpc.StandardOutput + upnpc.StandardError, StringComparison.Ordinal);

        var allow = await tb.ExecAsync(Host.Pc, "nft", "add", "rule", "inet", "filter", "input", "tcp", "dport", "8080", "accept");
        Assert.True(allow.Succeeded, allow.ToString());
        Assert.True(await tb.CanConnectTcpAsync(Host.Inet, tb.RouterWanIp, 8080, TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData("double-nat", "192.168.")]
    [InlineData("cgnat", "100.64.")]
    public async Task Behind_a_second_NAT_the_router_refuses_to_report_an_external_address(string variant, string wanPrefix)
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        await using var tb = await Testbed.UpAsync(variant, "python3 -u -m http.server 8088 --bind 11.0.0.1");

        Assert.StartsWith(wanPrefix, tb.RouterWanIp, StringComparison.Ordinal);
        Assert.Equal(tb.UpstreamWanIp, tb.PublicIp);
        Assert.NotEqual(tb.RouterWanIp, tb.PublicIp);

        // miniupnpd still answers SSDP but will not vouch for a private external address.
        var upnpc = await tb.UpnpcAsync("-s");
        Assert.Contains($"desc: http://{tb.RouterLanIp}:5000/rootDesc.xml", upnpc.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain($"ExternalIPAddress = {tb.RouterWanIp}", upnpc.StandardOutput, StringComparison.Ordinal);
        Assert.False((await tb.NatpmpcAsync()).Succeeded);

        // The internet sees the upstream router's address.
        await tb.HttpGetAsync(Host.Pc, tb.CheckerUrl + "/");
        var log = await File.ReadAllTextAsync(Path.Combine(tb.RunDirectory, "logs", "checker.log"), TestContext.Current.CancellationToken);
        Assert.Contains($"{tb.PublicIp} - - ", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_public_host_is_reachable_directly_and_has_no_router()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        await using var tb = await Testbed.UpAsync("public-host");

        Assert.Equal(tb.PcIp, tb.PublicIp);
        Assert.Equal(string.Empty, tb.RouterNamespace);
        Assert.Throws<InvalidOperationException>(() => tb.NamespaceOf(Host.Router));

        await tb.StartHttpServerAsync(Host.Pc, tb.PcIp, 8080);
        Assert.True(await tb.CanConnectTcpAsync(Host.Inet, tb.PcIp, 8080, TimeSpan.FromSeconds(5)));
    }
}
