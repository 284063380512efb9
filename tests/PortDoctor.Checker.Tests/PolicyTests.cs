using System.Net;
using System.Text;
using System.Text.Json;

namespace PortDoctor.Checker.Tests;

/// <summary>Refusals, proxies, validation and limits over real HTTP. No probe here leaves loopback: refused targets are never contacted.</summary>
public class PolicyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(CheckerHost host, string json, string contentType = "application/json", Action<HttpRequestMessage>? tweak = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/check") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        tweak?.Invoke(request);
        HttpResponseMessage response = await host.Http.SendAsync(request, Ct);
        string text = await response.Content.ReadAsStringAsync(Ct);
        JsonElement body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response, body);
    }

    private static void AssertProblem(HttpResponseMessage response, JsonElement body, HttpStatusCode status, string? field)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("fix").GetString()));
        if (field is not null)
        {
            Assert.Equal(field, body.GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task Loopback_target_is_refused_with_403_when_private_targets_are_not_allowed()
    {
        await using CheckerHost host = await CheckerHost.StartAsync(o => o.AllowPrivate = false);
        var (response, body) = await PostAsync(host, """{"port":8080,"protocol":"tcp"}""");
        AssertProblem(response, body, HttpStatusCode.Forbidden, "ip");
        Assert.Contains("127.0.0.1", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("loopback", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/8080")]
    [InlineData("/port/8080")]
    public async Task Compat_endpoints_refuse_loopback_too(string path)
    {
        await using CheckerHost host = await CheckerHost.StartAsync(o => o.AllowPrivate = false);
        using HttpResponseMessage response = await host.Http.GetAsync(path.TrimStart('/'), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Forwarded_for_from_an_untrusted_peer_is_ignored()
    {
        // 203.0.113.9 is a documentation address: refused either way, so nothing is ever sent to it.
        await using CheckerHost host = await CheckerHost.StartAsync(o => o.AllowPrivate = false);
        var (response, body) = await PostAsync(host, """{"port":8080,"protocol":"tcp"}""", tweak: r => r.Headers.Add("X-Forwarded-For", "203.0.113.9"));
        AssertProblem(response, body, HttpStatusCode.Forbidden, "ip");
        Assert.Contains("127.0.0.1", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var ipRequest = new HttpRequestMessage(HttpMethod.Get, "api/v1/ip");
        ipRequest.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using HttpResponseMessage ip = await host.Http.SendAsync(ipRequest, Ct);
        Assert.Contains("\"ip\":\"127.0.0.1\"", await ip.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forwarded_for_from_a_trusted_proxy_is_honoured()
    {
        await using CheckerHost host = await CheckerHost.StartAsync(o =>
        {
            o.AllowPrivate = false;
            o.TrustedProxies.Add(IPNetwork.Parse("127.0.0.0/8"));
        });
        using var ipRequest = new HttpRequestMessage(HttpMethod.Get, "api/v1/ip");
        ipRequest.Headers.Add("X-Forwarded-For", "198.51.100.1, 203.0.113.9");
        using HttpResponseMessage ip = await host.Http.SendAsync(ipRequest, Ct);
        Assert.Equal("""{"ip":"203.0.113.9","port":0}""", await ip.Content.ReadAsStringAsync(Ct));

        var (response, body) = await PostAsync(host, """{"port":8080,"protocol":"tcp"}""", tweak: r => r.Headers.Add("X-Forwarded-For", "203.0.113.9"));
        AssertProblem(response, body, HttpStatusCode.Forbidden, "ip");
        Assert.Contains("203.0.113.9", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_forwarded_for_from_a_trusted_proxy_is_not_believed()
    {
        await using CheckerHost host = await CheckerHost.StartAsync(o => o.TrustedProxies.Add(IPNetwork.Parse("127.0.0.1/32")));
        using var ipRequest = new HttpRequestMessage(HttpMethod.Get, "api/v1/ip");
        ipRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9, evil");
        using HttpResponseMessage ip = await host.Http.SendAsync(ipRequest, Ct);
        Assert.StartsWith("""{"ip":"127.0.0.1",""", await ip.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"port":0,"protocol":"tcp"}""", "port")]
    [InlineData("""{"port":65536,"protocol":"tcp"}""", "port")]
    [InlineData("""{"port":"abc","protocol":"tcp"}""", "port")]
    [InlineData("""{"port":80.5,"protocol":"tcp"}""", "port")]
    [InlineData("""{"protocol":"tcp"}""", "port")]
    [InlineData("""{"port":8080}""", "protocol")]
    [InlineData("""{"port":8080,"protocol":"sctp"}""", "protocol")]
    [InlineData("""{"port":8080,"protocol":"udp"}""", "nonce")]
    [InlineData("""{"port":8080,"protocol":"udp","nonce":"has space"}""", "nonce")]
    [InlineData("""{"port":8080,"protocol":"tcp","target":"10.0.0.1"}""", "target")]
    [InlineData("""{"port":8080,"protocol":"tcp","port":9090}""", "port")]
    [InlineData("""{"port":8080,""", "body")]
    [InlineData("""[8080]""", "body")]
    [InlineData("""{"port":8080,"protocol":"tcp"} {}""", "body")]
    public async Task Bad_requests_get_400_problem_details_naming_the_field(string json, string field)
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        var (response, body) = await PostAsync(host, json);
        AssertProblem(response, body, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Oversize_body_gets_413_problem_details()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        string json = $$"""{"port":8080,"protocol":"tcp","nonce":"{{new string('a', 2000)}}"}""";
        var (response, body) = await PostAsync(host, json);
        AssertProblem(response, body, HttpStatusCode.RequestEntityTooLarge, "body");
    }

    [Fact]
    public async Task Oversize_chunked_body_gets_413_problem_details()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/check")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(new string(' ', 5000) + """{"port":1,"protocol":"tcp"}"""))),
        };
        request.Headers.TransferEncodingChunked = true;
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using HttpResponseMessage response = await host.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Non_json_content_type_gets_415()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        var (response, body) = await PostAsync(host, """{"port":8080,"protocol":"tcp"}""", "text/plain");
        AssertProblem(response, body, HttpStatusCode.UnsupportedMediaType, "body");
    }

    [Fact]
    public async Task Per_address_rate_limit_answers_429_with_retry_after()
    {
        await using CheckerHost host = await CheckerHost.StartAsync(o =>
        {
            o.AllowPrivate = false; // every request is refused before probing, so only the limiter is exercised
            o.RateLimitPermits = 2;
            o.RateLimitWindow = TimeSpan.FromMinutes(1);
        });
        for (int i = 0; i < 2; i++)
        {
            var (allowed, _) = await PostAsync(host, """{"port":8080,"protocol":"tcp"}""");
            Assert.Equal(HttpStatusCode.Forbidden, allowed.StatusCode);
        }

        var (limited, body) = await PostAsync(host, """{"port":8080,"protocol":"tcp"}""");
        AssertProblem(limited, body, HttpStatusCode.TooManyRequests, null);
        Assert.Equal("https://www.rfc-editor.org/rfc/rfc6585#section-4", body.GetProperty("type").GetString());
        TimeSpan? retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        // The address lookup is not a probe and stays available.
        using HttpResponseMessage ip = await host.Http.GetAsync("api/v1/ip", Ct);
        Assert.Equal(HttpStatusCode.OK, ip.StatusCode);
    }

    [Fact]
    public async Task Unknown_path_gets_problem_details_404()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        using HttpResponseMessage response = await host.Http.GetAsync("nothing/here", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains("/openapi/v1.json", body.RootElement.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_method_gets_405_with_the_method_to_use()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Delete, "api/v1/check");
        using HttpResponseMessage response = await host.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Use POST for /api/v1/check.", body.RootElement.GetProperty("fix").GetString());
    }
}
