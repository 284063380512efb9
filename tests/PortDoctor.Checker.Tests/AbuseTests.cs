using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PortDoctor.Checker.Tests;

/// <summary>Attacks on the public checker: reserved targets through a proxy, slow senders, bursts past the global cap.</summary>
public class AbuseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Every one is non-public by AddressClass, so the checker refuses before any packet could leave;
    // the probe counter proves no probe started.
    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.1.1")]
    [InlineData("127.0.0.2")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("224.0.0.1")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("192.0.2.1")]
    [InlineData("198.51.100.1")]
    [InlineData("203.0.113.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fc00::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:10.0.0.1")]
    public async Task Private_and_reserved_targets_are_refused_without_probing(string target)
    {
        await using CheckerHost host = await CheckerHost.StartAsync(o =>
        {
            o.AllowPrivate = false;
            o.TrustedProxies.Add(IPNetwork.Parse("127.0.0.1/32"));
            o.RateLimitPermits = 100;
        });
        foreach (string path in new[] { "api/v1/check", "8080", "port/8080" })
        {
            using var request = new HttpRequestMessage(path.StartsWith("api", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path);
            if (request.Method == HttpMethod.Post)
            {
                request.Content = new StringContent("""{"port":8080,"protocol":"tcp"}""", Encoding.UTF8, "application/json");
            }

            request.Headers.Add("X-Forwarded-For", target);
            using HttpResponseMessage response = await host.Http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(0, host.Gauge.Started);
    }

    [Fact]
    public async Task Spoofed_forwarded_for_cannot_steer_probes_or_dodge_the_rate_limit()
    {
        await using CheckerHost host = await CheckerHost.StartAsync(o =>
        {
            o.RateLimitPermits = 2;
            o.RateLimitWindow = TimeSpan.FromMinutes(1);
        });
        var codes = new List<HttpStatusCode>();
        for (int i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"port/{TestNet.FreeTcpPort()}");
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i + 1}");
            using HttpResponseMessage response = await host.Http.SendAsync(request, Ct);
            codes.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.StartsWith("""{"ip":"127.0.0.1",""", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);
    }

    [Fact]
    public async Task Slow_header_sender_is_cut_off_after_the_header_timeout()
    {
        await using CheckerHost host = await CheckerHost.StartAsync(o => o.RequestHeadersTimeout = TimeSpan.FromSeconds(1));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, host.BaseAddress.Port), Ct);
        byte[] request = Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + new string('a', 200) + "\r\n\r\n");
        var clock = Stopwatch.StartNew();
        byte[] buffer = new byte[1024];
        Task<int> closed = socket.ReceiveAsync(buffer, SocketFlags.None, Ct).AsTask();
        int sent = 0;

        // One byte every 100 ms: the 245-byte request would need ~25 s; the server must end it long before.
        while (sent < request.Length && !closed.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            try
            {
                await socket.SendAsync(request.AsMemory(sent, 1), SocketFlags.None, Ct);
            }
            catch (SocketException)
            {
                break; // reset by the server
            }

            sent++;
            await Task.WhenAny(closed, Task.Delay(100, Ct));
        }

        string answer;
        try
        {
            int n = await closed.WaitAsync(TimeSpan.FromSeconds(5), Ct);
            answer = Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (SocketException)
        {
            answer = "(reset)";
        }

        Assert.True(sent < request.Length, "the whole request got through");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"cut off only after {clock.Elapsed}");
        Assert.DoesNotContain("200 OK", answer, StringComparison.Ordinal);

        // A normal client is still served.
        using HttpResponseMessage ok = await host.Http.GetAsync("healthz", Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Global_probe_cap_holds_under_a_burst()
    {
        const int cap = 3;
        const int burst = 24;
        await using CheckerHost host = await CheckerHost.StartAsync(o =>
        {
            o.MaxConcurrentProbes = cap;
            o.ConnectTimeout = TimeSpan.FromSeconds(1);
            o.RateLimitPermits = 1000;
        });
        using BlackHolePort hole = await BlackHolePort.CreateAsync();
        using var start = new SemaphoreSlim(0);
        Task<(HttpStatusCode Status, TimeSpan? RetryAfter)>[] calls = [.. Enumerable.Range(0, burst).Select(async _ =>
        {
            await start.WaitAsync(Ct);
            using var content = new StringContent($$"""{"port":{{hole.Port}},"protocol":"tcp"}""", Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await host.Http.PostAsync("api/v1/check", content, Ct);
            return (response.StatusCode, response.Headers.RetryAfter?.Delta);
        })];
        start.Release(burst);
        var results = await Task.WhenAll(calls);

        Assert.InRange(host.Gauge.Peak, 1, cap);
        Assert.Equal(burst, results.Length);
        Assert.All(results, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, r.Status.ToString()));
        Assert.InRange(results.Count(r => r.Status == HttpStatusCode.OK), 1, burst - 1);
        Assert.All(results.Where(r => r.Status == HttpStatusCode.ServiceUnavailable), r => Assert.NotNull(r.RetryAfter));
        Assert.Equal(host.Gauge.Started, results.Count(r => r.Status == HttpStatusCode.OK));
    }
}
