using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Core.Tests.Reachability;

/// <summary>A handler that answers from a function and records the requests (no network).</summary>
internal sealed class FakeHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    public List<(HttpMethod Method, Uri Uri, string? Body)> Requests { get; } = [];

    public static FakeHandler Answer(HttpStatusCode status, string body, string mediaType = "application/json", Action<HttpResponseMessage>? tweak = null) =>
        new((_, _) =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
            tweak?.Invoke(response);
            return Task.FromResult(response);
        });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request.Method, request.RequestUri!, body));
        return await answer(request, cancellationToken);
    }
}

public class CheckerClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CheckerClient Client(FakeHandler handler, string checker = "https://check.example/pd", TimeSpan? httpTimeout = null)
    {
        Assert.True(CheckerEndpoint.TryParse(checker, out CheckerEndpoint? endpoint, out _));
        return new CheckerClient(new HttpClient(handler) { Timeout = httpTimeout ?? TimeSpan.FromSeconds(30) }, endpoint);
    }

    [Fact]
    public async Task PortDoctor_check_posts_the_request_and_reads_the_state()
    {
        var handler = FakeHandler.Answer(HttpStatusCode.OK, """{"ip":"::ffff:198.51.100.7","port":8080,"protocol":"udp","state":"open","rttMs":12.5}""");
        CheckerCheckResult result = await Client(handler).CheckAsync(8080, TransportProtocol.Udp, "n-1", Ct);

        Assert.True(result.Succeeded);
        Assert.Equal(ReachabilityState.Open, result.State);
        Assert.Equal(12.5, result.RttMs);
        Assert.Equal(IPAddress.Parse("198.51.100.7"), result.PublicAddress);
        var (method, uri, body) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, method);
        Assert.Equal(new Uri("https://check.example/pd/api/v1/check"), uri);
        Assert.Equal("""{"port":8080,"protocol":"udp","nonce":"n-1"}""", body);
    }

    [Fact]
    public async Task Tcp_check_sends_no_nonce()
    {
        var handler = FakeHandler.Answer(HttpStatusCode.OK, """{"ip":"198.51.100.7","port":80,"protocol":"tcp","state":"closed","rttMs":3}""");
        CheckerCheckResult result = await Client(handler).CheckAsync(80, TransportProtocol.Tcp, "ignored", Ct);
        Assert.Equal(ReachabilityState.Closed, result.State);
        Assert.Equal("""{"port":80,"protocol":"tcp"}""", handler.Requests[0].Body);
    }

    [Fact]
    public async Task Problem_details_become_an_error_with_status_detail_and_fix()
    {
        var handler = FakeHandler.Answer(HttpStatusCode.Forbidden,
            """{"title":"The checker does not probe this address.","status":403,"detail":"Your address 10.0.0.2 is a private address."}""",
            "application/problem+json");
        CheckerCheckResult result = await Client(handler).CheckAsync(8080, TransportProtocol.Tcp, null, Ct);

        CheckerError error = Assert.IsType<CheckerError>(result.Error);
        Assert.Null(result.State);
        Assert.Equal(CheckerErrorKind.HttpStatus, error.Kind);
        Assert.Equal(403, error.HttpStatus);
        Assert.Equal("https://check.example/pd", error.Checker);
        Assert.Contains("10.0.0.2 is a private address", En(error.Problem), StringComparison.Ordinal);
        Assert.Contains("checker on the internet", En(error.Fix), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, "wait 42 s")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "wait 42 s")]
    public async Task Retry_after_is_reported(HttpStatusCode status, string expectedFix)
    {
        var handler = FakeHandler.Answer(status, """{"status":429,"title":"Too many"}""", "application/problem+json",
            r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(42)));
        CheckerCheckResult result = await Client(handler).CheckAsync(8080, TransportProtocol.Tcp, null, Ct);
        Assert.Equal(TimeSpan.FromSeconds(42), result.Error!.RetryAfter);
        Assert.Contains(expectedFix, En(result.Error.Fix), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_status_without_a_body_still_explains()
    {
        var handler = FakeHandler.Answer(HttpStatusCode.InternalServerError, "", "text/plain");
        CheckerError error = (await Client(handler).CheckAsync(8080, TransportProtocol.Tcp, null, Ct)).Error!;
        Assert.Equal(500, error.HttpStatus);
        Assert.Contains("HTTP 500", En(error.Problem), StringComparison.Ordinal);
        Assert.NotEmpty(En(error.Fix));
    }

    [Theory]
    [InlineData("<html>hello</html>")]
    [InlineData("""{"ip":"198.51.100.7","port":8080,"protocol":"tcp","state":"maybe","rttMs":1}""")]
    [InlineData("""{"ip":"198.51.100.7","port":9999,"protocol":"tcp","state":"open","rttMs":1}""")]
    [InlineData("""{"ip":"not-an-ip","port":8080,"protocol":"tcp","state":"open","rttMs":1}""")]
    [InlineData("""{"port":8080}""")]
    [InlineData("")]
    public async Task Malformed_answers_are_bad_response_errors(string body)
    {
        var handler = FakeHandler.Answer(HttpStatusCode.OK, body);
        CheckerError error = (await Client(handler).CheckAsync(8080, TransportProtocol.Tcp, null, Ct)).Error!;
        Assert.Equal(CheckerErrorKind.BadResponse, error.Kind);
        Assert.Contains("kind prefix", En(error.Fix), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversize_answers_are_refused()
    {
        var handler = FakeHandler.Answer(HttpStatusCode.OK, new string(' ', CheckerClient.MaxResponseBytes + 10));
        Assert.Equal(CheckerErrorKind.BadResponse, (await Client(handler).CheckAsync(8080, TransportProtocol.Tcp, null, Ct)).Error!.Kind);
    }

    [Fact]
    public async Task Unreachable_checker_is_an_error_naming_the_socket_problem()
    {
        var handler = new FakeHandler((_, _) => throw new HttpRequestException("boom", new SocketException((int)SocketError.ConnectionRefused)));
        CheckerError error = (await Client(handler).CheckAsync(8080, TransportProtocol.Tcp, null, Ct)).Error!;
        Assert.Equal(CheckerErrorKind.Unreachable, error.Kind);
        Assert.Contains("refused", En(error.Problem), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("checker URL", En(error.Fix), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Internal_timeout_is_a_timeout_error_not_an_exception()
    {
        var handler = new FakeHandler(async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return null!; });
        CheckerError error = (await Client(handler, httpTimeout: TimeSpan.FromMilliseconds(100)).CheckAsync(8080, TransportProtocol.Tcp, null, Ct)).Error!;
        Assert.Equal(CheckerErrorKind.Timeout, error.Kind);
    }

    [Fact]
    public async Task Caller_cancellation_is_rethrown()
    {
        var handler = new FakeHandler(async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return null!; });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(handler).CheckAsync(8080, TransportProtocol.Tcp, null, cts.Token));
    }

    [Theory]
    [InlineData("1", ReachabilityState.Open)]
    [InlineData("0\n", ReachabilityState.Filtered)]
    public async Task Transmission_answers_map_to_states(string body, ReachabilityState expected)
    {
        var handler = FakeHandler.Answer(HttpStatusCode.OK, body, "text/plain");
        CheckerCheckResult result = await Client(handler, "transmission:https://portcheck.example").CheckAsync(51413, TransportProtocol.Tcp, null, Ct);
        Assert.Equal(expected, result.State);
        Assert.False(result.DistinguishesClosed);
        Assert.Equal(new Uri("https://portcheck.example/51413"), handler.Requests[0].Uri);
    }

    [Fact]
    public async Task Transmission_garbage_is_a_bad_response()
    {
        var handler = FakeHandler.Answer(HttpStatusCode.OK, "<html>", "text/html");
        Assert.Equal(CheckerErrorKind.BadResponse,
            (await Client(handler, "transmission:https://portcheck.example").CheckAsync(1, TransportProtocol.Tcp, null, Ct)).Error!.Kind);
    }

    [Fact]
    public async Task Echoip_answers_map_to_states_and_address()
    {
        var handler = FakeHandler.Answer(HttpStatusCode.OK, """{"ip":"198.51.100.7","port":8080,"reachable":false}""");
        CheckerCheckResult result = await Client(handler, "echoip:https://echo.example").CheckAsync(8080, TransportProtocol.Tcp, null, Ct);
        Assert.Equal(ReachabilityState.Filtered, result.State);
        Assert.Equal(IPAddress.Parse("198.51.100.7"), result.PublicAddress);
        Assert.Equal(new Uri("https://echo.example/port/8080"), handler.Requests[0].Uri);
    }

    [Theory]
    [InlineData("transmission:https://portcheck.example")]
    [InlineData("echoip:https://echo.example")]
    public async Task Udp_on_a_tcp_only_checker_is_unsupported_without_a_request(string checker)
    {
        var handler = FakeHandler.Answer(HttpStatusCode.OK, "1");
        CheckerCheckResult result = await Client(handler, checker).CheckAsync(8080, TransportProtocol.Udp, "nonce", Ct);
        Assert.Equal(CheckerErrorKind.Unsupported, result.Error!.Kind);
        Assert.Empty(handler.Requests);
        CheckerAddressResult address = await Client(handler, checker).GetMyAddressAsync(Ct);
        Assert.Equal(CheckerErrorKind.Unsupported, address.Error!.Kind);
    }

    [Fact]
    public async Task Address_lookup_reads_ip_and_port()
    {
        var handler = FakeHandler.Answer(HttpStatusCode.OK, """{"ip":"2001:db8::7","port":50123}""");
        CheckerAddressResult result = await Client(handler).GetMyAddressAsync(Ct);
        Assert.Equal(IPAddress.Parse("2001:db8::7"), result.Address);
        Assert.Equal(50123, result.Port);
        Assert.Equal(new Uri("https://check.example/pd/api/v1/ip"), handler.Requests[0].Uri);
    }

    [Fact]
    public async Task Bad_arguments_throw()
    {
        var client = Client(FakeHandler.Answer(HttpStatusCode.OK, ""));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.CheckAsync(0, TransportProtocol.Tcp, null, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.CheckAsync(65536, TransportProtocol.Tcp, null, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.CheckAsync(80, TransportProtocol.Udp, "bad nonce!", Ct));
    }

    private static string En(PortDoctor.Core.Localization.Text text) =>
        PortDoctor.Core.Localization.Localizer.Format(text, PortDoctor.Core.Localization.UiLanguage.English);
}
