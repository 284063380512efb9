using System.Net;
using System.Text;
using PortDoctor.Core.Net;
using PortDoctor.Core.Upnp;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Tests.Upnp;

/// <summary>Discovery with the real-router quirks of docs/quirks.md ("UPnP IGD descriptions and answers"),
/// on a fake clock: nothing here waits on real time.</summary>
public sealed class UpnpDiscoveryQuirksTests
{
    private static readonly GatewayInfo Archer = new(IPAddress.Parse("192.168.0.1"), IPAddress.Parse("192.168.0.33"), 24, "wlan0");
    private static readonly GatewayInfo Livebox = new(IPAddress.Parse("192.168.1.1"), IPAddress.Parse("192.168.1.20"), 24, "eth0");

    private const string ArcherDescription =
        "<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>" +
        "<friendlyName>Archer_C8</friendlyName><manufacturer>TP-LINK</manufacturer><modelName>Archer C8</modelName><deviceList><device><deviceList><device><serviceList>" +
        "<service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>/ipc</controlURL></service>" +
        "</serviceList></device></deviceList></device></deviceList></device></root>";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Upnp", name));

    /// <summary>A log that the discovery's threads can add to while the test reads it.</summary>
    private sealed class SyncLog : System.Collections.ObjectModel.Collection<string>
    {
        protected override void InsertItem(int index, string item)
        {
            lock (this)
            {
                base.InsertItem(index, item);
            }
        }
    }

    private static async Task WaitForAsync(SyncLog log, Func<string, bool> line)
    {
        for (int i = 0; i < 500 && !Snapshot(log).Any(line); i++)
        {
            await Task.Delay(10, Ct); // replies are handled on other threads
        }
    }

    private static string[] Snapshot(SyncLog log)
    {
        lock (log)
        {
            return [.. log];
        }
    }

    [Theory]
    [InlineData(SsdpSearchTargets.RootDevice)]
    [InlineData(SsdpSearchTargets.All)]
    public async Task Router_answering_only_with_upnp_rootdevice_is_found(string searchAnswered)
    {
        string reply = Fixture("archer-c8-ssdp-rootdevice.txt");
        var (discoverer, _, http, _) = UpnpDiscovererTests.Build(
            (text, to) => UpnpDiscovererTests.SearchTarget(text) == searchAnswered && to.Address.Equals(SsdpSearchRequest.MulticastAddress)
                ? [(reply, new IPEndPoint(Archer.Gateway, 1900))]
                : [],
            new() { ["http://192.168.0.1:1900/igd.xml"] = ArcherDescription });

        var log = new SyncLog();
        UpnpGateway? found = await discoverer.DiscoverAsync([Archer], log, Ct);

        Assert.True(found is not null, string.Join(" | ", log));
        Assert.Equal(SsdpSearchTargets.RootDevice, found.SearchTarget);
        Assert.Equal(new Uri("http://192.168.0.1:1900/ipc"), found.ControlUrl);
        Assert.Equal("TP-LINK Archer C8 (Archer_C8)", found.DisplayName);
        Assert.Single(http.Fetched);
    }

    [Fact]
    public async Task Router_answering_with_its_uuid_is_found()
    {
        var (discoverer, _, _, _) = UpnpDiscovererTests.Build(
            (text, to) => UpnpDiscovererTests.SearchTarget(text) == SsdpSearchTargets.All && to.Address.Equals(Archer.Gateway)
                ? [(UpnpDiscovererTests.Reply("uuid:060b7353-fca6-4070-85f4-1fbfb9add62c", "http://192.168.0.1:1900/igd.xml"), new IPEndPoint(Archer.Gateway, 1900))]
                : [],
            new() { ["http://192.168.0.1:1900/igd.xml"] = ArcherDescription });

        UpnpGateway? found = await discoverer.DiscoverAsync([Archer], Ct);

        Assert.Equal("uuid:060b7353-fca6-4070-85f4-1fbfb9add62c", found!.SearchTarget);
    }

    [Fact]
    public async Task Rootdevice_replies_of_other_LAN_devices_are_not_fetched_and_a_non_IGD_gateway_is_refused()
    {
        const string mediaServer = "<root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device><deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType><friendlyName>NAS</friendlyName></device></root>";
        var (discoverer, _, http, time) = UpnpDiscovererTests.Build(
            (text, to) => UpnpDiscovererTests.SearchTarget(text) == SsdpSearchTargets.RootDevice && to.Address.Equals(SsdpSearchRequest.MulticastAddress)
                ? [
                    (UpnpDiscovererTests.Reply(SsdpSearchTargets.RootDevice, "http://192.168.0.7:8200/rootDesc.xml"), new IPEndPoint(IPAddress.Parse("192.168.0.7"), 1900)),
                    (UpnpDiscovererTests.Reply(SsdpSearchTargets.RootDevice, "http://192.168.0.1:1900/media.xml"), new IPEndPoint(Archer.Gateway, 1900)),
                ]
                : [],
            new() { ["http://192.168.0.7:8200/rootDesc.xml"] = ArcherDescription, ["http://192.168.0.1:1900/media.xml"] = mediaServer });

        var log = new SyncLog();
        Task<UpnpGateway?> run = discoverer.DiscoverAsync([Archer], log, Ct);
        await WaitForAsync(log, l => l.Contains("not a usable IGD", StringComparison.Ordinal));
        time.Advance(UpnpDiscoverer.ResendDelay);
        time.Advance(UpnpDiscoverer.DefaultDiscoveryTimeout);

        Assert.Null(await run);
        Assert.Equal([new Uri("http://192.168.0.1:1900/media.xml")], http.Fetched.Distinct());
        Assert.Contains(Snapshot(log), l => l.Contains("192.168.0.7", StringComparison.Ordinal) && l.Contains("not the gateway", StringComparison.Ordinal));
        Assert.Contains(Snapshot(log), l => l.Contains("media.xml", StringComparison.Ordinal) && l.Contains("not a usable IGD", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Livebox_with_only_WANPPPConnection2_is_a_usable_IGD_and_is_asked_with_that_type()
    {
        var (discoverer, _, http, _) = UpnpDiscovererTests.Build(
            (text, to) => UpnpDiscovererTests.SearchTarget(text) == SsdpSearchTargets.InternetGatewayDevice2 && to.Address.Equals(SsdpSearchRequest.MulticastAddress)
                ? [(UpnpDiscovererTests.Reply(SsdpSearchTargets.InternetGatewayDevice2, "http://192.168.1.1:49152/rootDesc.xml"), new IPEndPoint(Livebox.Gateway, 1900))]
                : [],
            new() { ["http://192.168.1.1:49152/rootDesc.xml"] = Fixture("livebox-igd2-wanpppconnection2.xml") });

        var log = new SyncLog();
        UpnpGateway? found = await discoverer.DiscoverAsync([Livebox], log, Ct);

        Assert.True(found is not null, string.Join(" | ", log));
        Assert.Equal("urn:schemas-upnp-org:service:WANPPPConnection:2", found.ServiceType);
        Assert.Equal(WanConnectionKind.WanPppConnection2, found.Service.Kind);
        Assert.Equal(new Uri("http://192.168.1.1:49152/upnp/control/WANPPPConn1"), found.ControlUrl);
        Assert.Contains(http.Asked, a => a.Action == UpnpActions.GetStatusInfo && a.Url == found.ControlUrl);
    }

    [Fact]
    public async Task A_candidate_that_is_not_best_possible_waits_the_grace_for_others_then_is_used()
    {
        var (discoverer, _, http, time) = UpnpDiscovererTests.Build(
            (text, to) => UpnpDiscovererTests.SearchTarget(text) == SsdpSearchTargets.InternetGatewayDevice1 && to.Address.Equals(SsdpSearchRequest.MulticastAddress)
                ? [(UpnpDiscovererTests.Reply(SsdpSearchTargets.InternetGatewayDevice1, "http://192.168.0.1:1900/igd.xml"), new IPEndPoint(Archer.Gateway, 1900))]
                : [],
            new() { ["http://192.168.0.1:1900/igd.xml"] = ArcherDescription });
        http.Soap = (_, action) => action == UpnpActions.GetStatusInfo
            ? (HttpStatusCode.OK, UpnpDiscovererTests.DescriptionHandler.Answer(action, "<NewConnectionStatus>Connected</NewConnectionStatus>"))
            : (HttpStatusCode.OK, UpnpDiscovererTests.DescriptionHandler.Answer(action, "<NewExternalIPAddress>100.64.7.7</NewExternalIPAddress>"));

        var log = new SyncLog();
        Task<UpnpGateway?> run = discoverer.DiscoverAsync([Archer], log, Ct);
        await WaitForAsync(log, l => l.StartsWith("service ", StringComparison.Ordinal));
        await Task.Delay(50, Ct);
        Assert.False(run.IsCompleted); // behind carrier-grade NAT: another IGD may still answer

        time.Advance(UpnpDiscoverer.CandidateGrace);
        UpnpGateway? found = await run;

        Assert.Equal(IgdExternalAddress.NotPublic, found!.ServiceFacts!.Address);
        Assert.Equal(IPAddress.Parse("100.64.7.7"), found.ServiceFacts.ExternalAddress);
        Assert.Contains(Snapshot(log), l => l.StartsWith("chose ", StringComparison.Ordinal));
    }
}
