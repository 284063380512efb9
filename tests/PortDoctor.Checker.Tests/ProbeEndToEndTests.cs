using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Checker.Tests;

/// <summary>The real server probing real loopback sockets (AllowPrivate=true).</summary>
public class ProbeEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> PostCheckAsync(CheckerHost host, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await host.Http.PostAsync("api/v1/check", content, Ct);
        string body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Ip_returns_the_callers_loopback_address_and_source_port()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        using HttpResponseMessage response = await host.Http.GetAsync("api/v1/ip", Ct);
        JsonElement body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("127.0.0.1", body.GetProperty("ip").GetString());
        Assert.Equal(host.LastLocalPort, body.GetProperty("port").GetInt32());
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Tcp_open_port_is_open_with_rtt_and_receives_no_bytes()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task<int> accepted = Task.Run(async () =>
        {
            using Socket s = await listener.AcceptSocketAsync(Ct);
            byte[] buffer = new byte[16];
            return await s.ReceiveAsync(buffer, SocketFlags.None, Ct);
        }, Ct);

        JsonElement result = await PostCheckAsync(host, $$"""{"port":{{port}},"protocol":"tcp"}""");

        Assert.Equal("open", result.GetProperty("state").GetString());
        Assert.Equal("127.0.0.1", result.GetProperty("ip").GetString());
        Assert.Equal(port, result.GetProperty("port").GetInt32());
        Assert.Equal("tcp", result.GetProperty("protocol").GetString());
        Assert.True(result.GetProperty("rttMs").GetDouble() >= 0);
        Assert.Equal(0, await accepted.WaitAsync(TimeSpan.FromSeconds(5), Ct)); // connected, then closed without a byte
    }

    [Fact]
    public async Task Tcp_port_without_listener_is_closed()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        JsonElement result = await PostCheckAsync(host, $$"""{"port":{{TestNet.FreeTcpPort()}},"protocol":"tcp"}""");
        Assert.Equal("closed", result.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Tcp_port_that_drops_syns_is_filtered_after_the_connect_timeout()
    {
        await using CheckerHost host = await CheckerHost.StartAsync(o => o.ConnectTimeout = TimeSpan.FromMilliseconds(700));
        using BlackHolePort hole = await BlackHolePort.CreateAsync();
        var started = System.Diagnostics.Stopwatch.StartNew();
        JsonElement result = await PostCheckAsync(host, $$"""{"port":{{hole.Port}},"protocol":"tcp"}""");
        Assert.Equal("filtered", result.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("rttMs").ValueKind);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(600), $"answered after {started.Elapsed}");
    }

    [Fact]
    public async Task Udp_with_the_temporary_responder_is_open()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        int port = TestNet.FreeUdpPort();
        string nonce = CheckerNonce.Create();
        ResponderStartResult start = TemporaryResponder.TryStart(port, TransportProtocol.Udp, nonce, [IPAddress.Loopback]);
        await using TemporaryResponder responder = start.Responder!;

        JsonElement result = await PostCheckAsync(host, $$"""{"port":{{port}},"protocol":"udp","nonce":"{{nonce}}"}""");

        Assert.Equal("open", result.GetProperty("state").GetString());
        Assert.True(responder.Answered);
    }

    [Fact]
    public async Task Udp_without_a_responder_is_filtered()
    {
        await using CheckerHost host = await CheckerHost.StartAsync(o => o.UdpReplyTimeout = TimeSpan.FromMilliseconds(500));
        JsonElement result = await PostCheckAsync(host, $$"""{"port":{{TestNet.FreeUdpPort()}},"protocol":"udp","nonce":"abc-DEF_123"}""");
        Assert.Equal("filtered", result.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Udp_responder_expecting_another_nonce_stays_silent_so_the_port_is_filtered()
    {
        await using CheckerHost host = await CheckerHost.StartAsync(o => o.UdpReplyTimeout = TimeSpan.FromMilliseconds(500));
        int port = TestNet.FreeUdpPort();
        ResponderStartResult start = TemporaryResponder.TryStart(port, TransportProtocol.Udp, "expected", [IPAddress.Loopback]);
        await using TemporaryResponder responder = start.Responder!;
        JsonElement result = await PostCheckAsync(host, $$"""{"port":{{port}},"protocol":"udp","nonce":"different"}""");
        Assert.Equal("filtered", result.GetProperty("state").GetString());
        Assert.False(responder.Answered);
    }

    [Fact]
    public async Task Client_and_server_agree_on_tcp_states_and_public_address()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        var client = new CheckerClient(host.Http, new CheckerEndpoint(CheckerKind.PortDoctor, host.BaseAddress));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int open = ((IPEndPoint)listener.LocalEndpoint).Port;

        CheckerCheckResult openResult = await client.CheckAsync(open, TransportProtocol.Tcp, null, Ct);
        CheckerCheckResult closedResult = await client.CheckAsync(TestNet.FreeTcpPort(), TransportProtocol.Tcp, null, Ct);
        CheckerAddressResult address = await client.GetMyAddressAsync(Ct);

        Assert.Equal(ReachabilityState.Open, openResult.State);
        Assert.NotNull(openResult.RttMs);
        Assert.Equal(IPAddress.Loopback, openResult.PublicAddress);
        Assert.True(openResult.DistinguishesClosed);
        Assert.Equal(ReachabilityState.Closed, closedResult.State);
        Assert.Equal(IPAddress.Loopback, address.Address);
        Assert.Equal(host.LastLocalPort, address.Port);
    }

    [Fact]
    public async Task Transmission_and_echoip_clients_work_against_the_compat_endpoints()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int open = ((IPEndPoint)listener.LocalEndpoint).Port;
        var transmission = new CheckerClient(host.Http, new CheckerEndpoint(CheckerKind.Transmission, host.BaseAddress));
        var echoIp = new CheckerClient(host.Http, new CheckerEndpoint(CheckerKind.EchoIp, host.BaseAddress));

        Assert.Equal(ReachabilityState.Open, (await transmission.CheckAsync(open, TransportProtocol.Tcp, null, Ct)).State);
        Assert.Equal(ReachabilityState.Filtered, (await transmission.CheckAsync(TestNet.FreeTcpPort(), TransportProtocol.Tcp, null, Ct)).State);
        CheckerCheckResult viaEchoIp = await echoIp.CheckAsync(open, TransportProtocol.Tcp, null, Ct);
        Assert.Equal(ReachabilityState.Open, viaEchoIp.State);
        Assert.False(viaEchoIp.DistinguishesClosed);
        Assert.Equal(IPAddress.Loopback, viaEchoIp.PublicAddress);
    }

    [Fact]
    public async Task ReachabilityChecker_runs_a_temporary_responder_for_udp_and_tcp()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        var client = new CheckerClient(host.Http, new CheckerEndpoint(CheckerKind.PortDoctor, host.BaseAddress));
        var checker = new ReachabilityChecker(client, responderBindAddresses: [IPAddress.Loopback]);

        ReachabilityReport udp = await checker.CheckAsync(TestNet.FreeUdpPort(), TransportProtocol.Udp, somethingListens: false, Ct);
        ReachabilityReport tcp = await checker.CheckAsync(TestNet.FreeTcpPort(), TransportProtocol.Tcp, somethingListens: false, Ct);

        foreach (ReachabilityReport report in new[] { udp, tcp })
        {
            Assert.Null(report.Error);
            Assert.Equal(ReachabilityState.Open, report.State);
            Assert.True(report.TemporaryResponderUsed);
            Assert.True(report.TemporaryResponderAnswered);
            Assert.False(report.AnsweredBySomethingElse);
            Assert.Equal(IPAddress.Loopback, report.PublicAddress);
        }
    }

    [Fact]
    public async Task Too_many_concurrent_probes_get_503_with_retry_after()
    {
        await using CheckerHost host = await CheckerHost.StartAsync(o =>
        {
            o.MaxConcurrentProbes = 1;
            o.ConnectTimeout = TimeSpan.FromSeconds(2);
        });
        using BlackHolePort hole = await BlackHolePort.CreateAsync();
        using var first = new StringContent($$"""{"port":{{hole.Port}},"protocol":"tcp"}""", System.Text.Encoding.UTF8, "application/json");
        Task<HttpResponseMessage> slow = host.Http.PostAsync("api/v1/check", first, Ct);
        await Task.Delay(300, Ct);

        using var second = new StringContent($$"""{"port":{{hole.Port}},"protocol":"tcp"}""", System.Text.Encoding.UTF8, "application/json");
        using HttpResponseMessage busy = await host.Http.PostAsync("api/v1/check", second, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), busy.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", busy.Content.Headers.ContentType?.MediaType);
        using HttpResponseMessage done = await slow;
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
    }
}
