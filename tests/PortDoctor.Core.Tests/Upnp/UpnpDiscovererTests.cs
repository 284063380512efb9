using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using PortDoctor.Core.Net;
using PortDoctor.Core.Upnp;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Tests.Upnp;

public sealed class UpnpDiscovererTests
{
    private static readonly GatewayInfo Lan = new(IPAddress.Parse("192.168.4.1"), IPAddress.Parse("192.168.4.20"), 24, "eth0");

    private const string IgdDescription =
        "<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>" +
        "<friendlyName>Office</friendlyName><manufacturer>Acme</manufacturer><modelName>R1</modelName><deviceList><device><deviceList><device><serviceList>" +
        "<service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>/ctl/ip</controlURL></service>" +
        "</serviceList></device></deviceList></device></deviceList></device></root>";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static string Reply(string st, string location) =>
        $"HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: {st}\r\nUSN: uuid:1::{st}\r\nEXT:\r\nLOCATION: {location}\r\n\r\n";

    internal static string SearchTarget(string datagram) =>
        datagram.Split("\r\n").First(l => l.StartsWith("ST: ", StringComparison.Ordinal))[4..];

    /// <summary>Serves descriptions by URL and counts fetches; answers GetStatusInfo and GetExternalIPAddress
    /// through <see cref="Soap"/> (by default: connected, a public address); no network.</summary>
    internal sealed class DescriptionHandler(Dictionary<string, string> pages) : HttpMessageHandler
    {
        public const string PublicAddress = "81.2.69.160";

        public ConcurrentQueue<Uri> Fetched { get; } = new();

        public ConcurrentQueue<(Uri Url, string Action)> Asked { get; } = new();

        /// <summary>(control URL, action) → (status, body); null answers 404.</summary>
        public Func<Uri, string, (HttpStatusCode Status, string Body)?> Soap { get; set; } = (_, action) => action switch
        {
            UpnpActions.GetStatusInfo => (HttpStatusCode.OK, Answer(action, "<NewConnectionStatus>Connected</NewConnectionStatus>")),
            UpnpActions.GetExternalIPAddress => (HttpStatusCode.OK, Answer(action, $"<NewExternalIPAddress>{PublicAddress}</NewExternalIPAddress>")),
            _ => null,
        };

        public static string Answer(string action, string inner) =>
            $"<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><u:{action}Response xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">{inner}</u:{action}Response></s:Body></s:Envelope>";

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post)
            {
                string soapAction = request.Headers.TryGetValues("SOAPAction", out IEnumerable<string>? values) ? values.First().Trim('"') : "";
                string action = soapAction[(soapAction.IndexOf('#', StringComparison.Ordinal) + 1)..];
                Asked.Enqueue((request.RequestUri!, action));
                (HttpStatusCode Status, string Body)? answer = Soap(request.RequestUri!, action);
                return Task.FromResult(answer is { } a
                    ? new HttpResponseMessage(a.Status) { Content = new StringContent(a.Body, Encoding.UTF8, "text/xml") }
                    : new HttpResponseMessage(HttpStatusCode.NotFound));
            }

            Fetched.Enqueue(request.RequestUri!);
            return Task.FromResult(pages.TryGetValue(request.RequestUri!.AbsoluteUri, out string? page)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(page, Encoding.UTF8, "text/xml") }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }

    internal static (UpnpDiscoverer Discoverer, FakeUdpTransport Udp, DescriptionHandler Http, FakeTimeProvider Time) Build(
        Func<string, IPEndPoint, IEnumerable<(string, IPEndPoint)>> script, Dictionary<string, string> pages)
    {
        var udp = new FakeUdpTransport(script);
        var http = new DescriptionHandler(pages);
        var time = new FakeTimeProvider();
        return (new UpnpDiscoverer(_ => udp, new HttpClient(http), time), udp, http, time);
    }

    [Fact]
    public async Task Reply_from_a_random_source_port_is_accepted_and_returns_before_any_timeout()
    {
        byte[] randomPortReply = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Upnp", "ssdp-reply-from-random-port.txt"));
        var (discoverer, udp, http, time) = Build(
            (text, to) => SearchTarget(text) == SsdpSearchTargets.InternetGatewayDevice1 && to.Address.Equals(SsdpSearchRequest.MulticastAddress)
                ? [(Encoding.ASCII.GetString(randomPortReply), new IPEndPoint(IPAddress.Parse("192.168.4.1"), 41212))]
                : [],
            new() { ["http://192.168.4.1:1900/igd4711.xml"] = IgdDescription });

        var log = new List<string>();
        UpnpGateway? found = await discoverer.DiscoverAsync([Lan], log, Ct);

        Assert.NotNull(found);
        Assert.Equal(new Uri("http://192.168.4.1:1900/ctl/ip"), found.ControlUrl);
        Assert.Equal(SsdpSearchTargets.WanIpConnection1, found.ServiceType);
        Assert.Equal(SsdpSearchTargets.InternetGatewayDevice1, found.SearchTarget);
        Assert.Equal(41212, found.Responder.Port);
        Assert.Equal("Acme R1 (Office)", found.DisplayName);
        // The fake clock never moved: discovery ended on the answer, not on a timer.
        Assert.Equal(0, found.ElapsedMs);
        Assert.Equal(TimeSpan.Zero, time.GetUtcNow() - time.Start);
        Assert.Equal(IPAddress.Parse("192.168.4.20"), udp.LocalEndPoint!.Address);
        Assert.Equal(IPAddress.Parse("192.168.4.20"), udp.MulticastInterface);
        Assert.True(udp.Disposed);
        Assert.Single(http.Fetched);
    }

    [Fact]
    public async Task Searches_every_target_multicast_and_unicast_then_resends_once()
    {
        var (discoverer, udp, _, time) = Build((_, _) => [], []);
        Task<UpnpGateway?> run = discoverer.DiscoverAsync([Lan], Ct);

        int targets = SsdpSearchTargets.IgdSearchTargets.Count;
        Assert.Equal(2 * targets, udp.Sent.Count);
        Assert.Equal(targets, udp.Sent.Count(s => s.To.Equals(new IPEndPoint(SsdpSearchRequest.MulticastAddress, 1900))));
        Assert.Equal(targets, udp.Sent.Count(s => s.To.Equals(new IPEndPoint(Lan.Gateway, 1900))));
        Assert.Equal(SsdpSearchTargets.IgdSearchTargets.Order(), udp.Sent.Where(s => s.To.Port == 1900 && s.To.Address.Equals(Lan.Gateway)).Select(s => SearchTarget(s.Text)).Order());

        time.Advance(UpnpDiscoverer.ResendDelay);
        for (int i = 0; i < 500 && udp.Sent.Count < 4 * targets; i++)
        {
            await Task.Delay(10, Ct); // the resend continuation may run on another thread
        }

        Assert.Equal(4 * targets, udp.Sent.Count);

        time.Advance(UpnpDiscoverer.DefaultDiscoveryTimeout);
        Assert.Null(await run);
        Assert.Equal(4 * targets, udp.Sent.Count); // resent once, not more
        Assert.All(udp.Sent.Where(s => !s.To.Address.Equals(Lan.Gateway)), s => Assert.Contains("MX: 1\r\n", s.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WFADevice_is_ignored_and_the_IGD_found_from_its_own_target()
    {
        var router = new IPEndPoint(IPAddress.Parse("192.168.0.1"), 1900);
        var gw = new GatewayInfo(IPAddress.Parse("192.168.0.1"), IPAddress.Parse("192.168.0.33"), 24, "wlan0");
        var (discoverer, _, http, _) = Build(
            (text, to) =>
            {
                if (!to.Address.Equals(SsdpSearchRequest.MulticastAddress))
                {
                    return []; // docs/quirks.md#Q-SSDP-SEARCH-TARGETS: unicast gets nothing
                }

                return SearchTarget(text) switch
                {
                    SsdpSearchTargets.All => [(Reply("urn:schemas-wifialliance-org:device:WFADevice:1", "http://192.168.0.1:1990/5c7e1f00-aaaa-bbbb-cccc-001122334455/WFADevice.xml"), router)],
                    SsdpSearchTargets.InternetGatewayDevice1 => [(Reply(SsdpSearchTargets.InternetGatewayDevice1, "http://192.168.0.1:49153/a1b2c3/gatedesc0b.xml"), router)],
                    _ => [],
                };
            },
            new() { ["http://192.168.0.1:49153/a1b2c3/gatedesc0b.xml"] = IgdDescription });

        var log = new List<string>();
        UpnpGateway? found = await discoverer.DiscoverAsync([gw], log, Ct);

        Assert.Equal(new Uri("http://192.168.0.1:49153/a1b2c3/gatedesc0b.xml"), found!.DescriptionUrl);
        Assert.DoesNotContain(http.Fetched, u => u.AbsolutePath.Contains("WFADevice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Off_subnet_LOCATION_and_off_subnet_sender_are_ignored_with_reasons()
    {
        var router = new IPEndPoint(Lan.Gateway, 1900);
        var (discoverer, _, http, time) = Build(
            (text, to) => SearchTarget(text) == SsdpSearchTargets.InternetGatewayDevice1 && to.Address.Equals(SsdpSearchRequest.MulticastAddress)
                ? [
                    (Reply(SsdpSearchTargets.InternetGatewayDevice1, "http://203.0.113.9/desc.xml"), router),
                    (Reply(SsdpSearchTargets.InternetGatewayDevice1, "http://router.example/desc.xml"), router),
                    (Reply(SsdpSearchTargets.InternetGatewayDevice1, "http://192.168.4.1/desc.xml"), new IPEndPoint(IPAddress.Parse("10.9.9.9"), 1900)),
                    ("HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n", router),
                ]
                : [],
            new() { ["http://203.0.113.9/desc.xml"] = IgdDescription, ["http://192.168.4.1/desc.xml"] = IgdDescription });

        var log = new List<string>();
        Task<UpnpGateway?> run = discoverer.DiscoverAsync([Lan], log, Ct);
        // Replies are handled on other threads; let all four be judged before the budget runs out (bounded wait).
        for (int i = 0; i < 500 && Volatile.Read(ref log).Count < 4; i++)
        {
            await Task.Delay(10, Ct);
        }

        time.Advance(UpnpDiscoverer.ResendDelay);
        time.Advance(UpnpDiscoverer.DefaultDiscoveryTimeout);

        Assert.Null(await run);
        Assert.Empty(http.Fetched);
        Assert.Contains(log, l => l.Contains("203.0.113.9", StringComparison.Ordinal) && l.Contains("not a numeric http address on the local subnet", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("router.example", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("10.9.9.9", StringComparison.Ordinal) && l.Contains("not on the local subnet", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("no LOCATION header", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("no usable IGD answered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Device_without_WAN_service_is_skipped_and_the_next_usable_one_wins()
    {
        var router = new IPEndPoint(Lan.Gateway, 1900);
        var nas = new IPEndPoint(IPAddress.Parse("192.168.4.7"), 1900);
        const string media = "<root><device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><friendlyName>Fake</friendlyName></device></root>";
        var (discoverer, _, http, _) = Build(
            (text, to) => SearchTarget(text) == SsdpSearchTargets.InternetGatewayDevice1 && to.Address.Equals(SsdpSearchRequest.MulticastAddress)
                ? [(Reply(SsdpSearchTargets.InternetGatewayDevice1, "http://192.168.4.7/fake.xml"), nas), (Reply(SsdpSearchTargets.InternetGatewayDevice1, "http://192.168.4.1:5000/rootDesc.xml"), router)]
                : SearchTarget(text) == SsdpSearchTargets.WanIpConnection1 ? [(Reply(SsdpSearchTargets.WanIpConnection1, "http://192.168.4.1:5000/rootDesc.xml"), router)] : [],
            new() { ["http://192.168.4.7/fake.xml"] = media, ["http://192.168.4.1:5000/rootDesc.xml"] = IgdDescription });

        var log = new List<string>();
        UpnpGateway? found = await discoverer.DiscoverAsync([Lan], log, Ct);

        Assert.Equal(new Uri("http://192.168.4.1:5000/ctl/ip"), found!.ControlUrl);
        Assert.Equal(1, http.Fetched.Count(u => u.AbsoluteUri == "http://192.168.4.1:5000/rootDesc.xml")); // fetched once despite two replies
    }

    [Fact]
    public async Task Caller_cancellation_is_rethrown()
    {
        var (discoverer, _, _, _) = Build((_, _) => [], []);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        Task<UpnpGateway?> run = discoverer.DiscoverAsync([Lan], cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task No_IPv4_gateway_returns_null_at_once()
    {
        var v6 = new GatewayInfo(IPAddress.IPv6Loopback, IPAddress.IPv6Loopback, 64, "lo");
        var log = new List<string>();
        Assert.Null(await new UpnpDiscoverer(_ => throw new InvalidOperationException("no socket expected"), new HttpClient()).DiscoverAsync([v6], log, Ct));
        Assert.Single(log);
    }

    [Fact]
    public async Task UdpTransport_sends_and_receives_on_loopback()
    {
        using var a = new UdpTransport(AddressFamily.InterNetwork);
        using var b = new UdpTransport(AddressFamily.InterNetwork);
        a.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        b.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        a.SetMulticastInterface(IPAddress.Loopback, 2);
        await a.SendAsync("hello"u8.ToArray(), b.LocalEndPoint!, Ct);
        byte[] buffer = new byte[64];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        ReceivedDatagram got = await b.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal("hello", Encoding.ASCII.GetString(buffer, 0, got.Length));
        Assert.Equal(a.LocalEndPoint, got.RemoteEndPoint);
    }
}
