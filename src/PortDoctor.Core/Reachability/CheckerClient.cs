using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Reachability.Wire;

namespace PortDoctor.Core.Reachability;

/// <summary>
/// <see cref="ICheckerClient"/> over HTTP for all three checker kinds. Every failure (unreachable checker,
/// HTTP 4xx/5xx with or without RFC 9457 problem details, malformed answers, the client's own timeout)
/// comes back as a <see cref="CheckerError"/>; only the caller's cancellation is rethrown. The internal
/// timeout is reported as <see cref="CheckerErrorKind.Timeout"/>, not as a <see cref="TimeoutException"/>,
/// because the CLI prints it like every other checker failure.
/// </summary>
public sealed class CheckerClient : ICheckerClient
{
    /// <summary>
    /// How long a PortDoctor check may take: the server waits up to 3 s for a TCP connect or a UDP echo,
    /// may queue briefly, and the request crosses the internet twice; 10 s leaves room for a slow mobile
    /// link without leaving the user staring at a hung prompt.
    /// </summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a third-party (Transmission, echoip) check may take: their connect timeouts are not
    /// published and observed ones run to several seconds, so allow more than for our own server.
    /// </summary>
    public static readonly TimeSpan ThirdPartyCheckTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long the address lookup may take: one small request/answer, no probe on the server side.</summary>
    public static readonly TimeSpan AddressTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The largest checker answer read, in bytes; real answers are under 1 KiB, so anything bigger is not a checker.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    private readonly HttpClient http;

    /// <summary>Creates a client for one checker.</summary>
    /// <param name="http">The HTTP client (the seam for tests: give it a fake <see cref="HttpMessageHandler"/>).</param>
    /// <param name="endpoint">The checker.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public CheckerClient(HttpClient http, CheckerEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        this.http = http;
        Endpoint = endpoint;
    }

    /// <inheritdoc />
    public CheckerEndpoint Endpoint { get; }

    private string Name => Endpoint.ToString();

    /// <inheritdoc />
    public async Task<CheckerAddressResult> GetMyAddressAsync(CancellationToken cancellationToken)
    {
        if (!Endpoint.SupportsAddressLookup)
        {
            return new CheckerAddressResult(null, 0, new CheckerError(
                CheckerErrorKind.Unsupported, Name, Text.Of("Checker.Err.NoAddressLookup", Endpoint.Kind.ToString()), Text.Of("Checker.Fix.NoAddressLookup")));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, Endpoint.Resolve("api/v1/ip"));
        Exchange exchange = await SendAsync(request, AddressTimeout, cancellationToken).ConfigureAwait(false);
        if (exchange.Error is not null)
        {
            return new CheckerAddressResult(null, 0, exchange.Error);
        }

        IpResponse? body = Deserialize(exchange.Body, CheckerWireJsonContext.Default.IpResponse);
        if (body is null || !IPAddress.TryParse(body.Ip, out IPAddress? address) || body.Port is < 0 or > 65535)
        {
            return new CheckerAddressResult(null, 0, BadResponse("/api/v1/ip did not answer {\"ip\",\"port\"}"));
        }

        return new CheckerAddressResult(Normalise(address), body.Port, null);
    }

    /// <inheritdoc />
    public Task<CheckerCheckResult> CheckAsync(int port, TransportProtocol protocol, string? nonce, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (protocol == TransportProtocol.Udp && !CheckerNonce.IsValid(nonce))
        {
            throw new ArgumentException("A UDP check needs a nonce of 1-64 characters of A-Z, a-z, 0-9, '-' or '_'.", nameof(nonce));
        }

        if (protocol == TransportProtocol.Udp && !Endpoint.SupportsUdp)
        {
            return Task.FromResult(CheckerCheckResult.Failed(CheckerError.TcpOnly(Endpoint.Kind, Name)));
        }

        return Endpoint.Kind switch
        {
            CheckerKind.Transmission => CheckTransmissionAsync(port, cancellationToken),
            CheckerKind.EchoIp => CheckEchoIpAsync(port, cancellationToken),
            _ => CheckPortDoctorAsync(port, protocol, nonce, cancellationToken),
        };
    }

    private async Task<CheckerCheckResult> CheckPortDoctorAsync(int port, TransportProtocol protocol, string? nonce, CancellationToken cancellationToken)
    {
        var payload = new CheckRequest(port, protocol.ToCli(), protocol == TransportProtocol.Udp ? nonce : null);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint.Resolve("api/v1/check"))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(payload, CheckerWireJsonContext.Default.CheckRequest)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Exchange exchange = await SendAsync(request, CheckTimeout, cancellationToken).ConfigureAwait(false);
        if (exchange.Error is not null)
        {
            return CheckerCheckResult.Failed(exchange.Error);
        }

        CheckResponse? body = Deserialize(exchange.Body, CheckerWireJsonContext.Default.CheckResponse);
        if (body is null)
        {
            return CheckerCheckResult.Failed(BadResponse("/api/v1/check did not answer a JSON check result"));
        }

        ReachabilityState? state = body.State switch
        {
            "open" => ReachabilityState.Open,
            "closed" => ReachabilityState.Closed,
            "filtered" => ReachabilityState.Filtered,
            _ => null,
        };
        if (state is null || body.Port != port || body.Protocol != protocol.ToCli() || !IPAddress.TryParse(body.Ip, out IPAddress? ip)
            || body.RttMs is < 0)
        {
            return CheckerCheckResult.Failed(BadResponse($"/api/v1/check answered for a different port/protocol or with an unknown state '{body.State}'"));
        }

        return new CheckerCheckResult(state, body.RttMs, Normalise(ip), DistinguishesClosed: true, null);
    }

    private async Task<CheckerCheckResult> CheckTransmissionAsync(int port, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Endpoint.Resolve(port.ToString(CultureInfo.InvariantCulture)));
        Exchange exchange = await SendAsync(request, ThirdPartyCheckTimeout, cancellationToken).ConfigureAwait(false);
        if (exchange.Error is not null)
        {
            return CheckerCheckResult.Failed(exchange.Error);
        }

        string text = Encoding.UTF8.GetString(exchange.Body).Trim();
        return text switch
        {
            "1" => new CheckerCheckResult(ReachabilityState.Open, null, null, DistinguishesClosed: false, null),
            "0" => new CheckerCheckResult(ReachabilityState.Filtered, null, null, DistinguishesClosed: false, null),
            _ => CheckerCheckResult.Failed(BadResponse("the port test did not answer 1 or 0")),
        };
    }

    private async Task<CheckerCheckResult> CheckEchoIpAsync(int port, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Endpoint.Resolve("port/" + port.ToString(CultureInfo.InvariantCulture)));
        Exchange exchange = await SendAsync(request, ThirdPartyCheckTimeout, cancellationToken).ConfigureAwait(false);
        if (exchange.Error is not null)
        {
            return CheckerCheckResult.Failed(exchange.Error);
        }

        EchoIpPortResponse? body = Deserialize(exchange.Body, CheckerWireJsonContext.Default.EchoIpPortResponse);
        if (body is null || body.Port != port || !IPAddress.TryParse(body.Ip, out IPAddress? ip))
        {
            return CheckerCheckResult.Failed(BadResponse("/port/{port} did not answer {\"ip\",\"port\",\"reachable\"} for this port"));
        }

        return new CheckerCheckResult(body.Reachable ? ReachabilityState.Open : ReachabilityState.Filtered, null, Normalise(ip), DistinguishesClosed: false, null);
    }

    private async Task<Exchange> SendAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("application/problem+json");
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token).ConfigureAwait(false);
            byte[]? body = await Net.HttpBody.ReadCappedAsync(response.Content, MaxResponseBytes, timeoutSource.Token).ConfigureAwait(false);
            if (body is null)
            {
                return new Exchange([], BadResponse($"the answer is larger than {MaxResponseBytes} bytes"));
            }

            return response.IsSuccessStatusCode
                ? new Exchange(body, null)
                : new Exchange([], HttpError(response, body));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            // Our CancelAfter or HttpClient.Timeout fired, not the caller.
            return new Exchange([], new CheckerError(
                CheckerErrorKind.Timeout, Name, Text.Of("Checker.Err.Timeout", Math.Ceiling(timeout.TotalSeconds)), Text.Of("Checker.Fix.Timeout")));
        }
        catch (HttpRequestException ex)
        {
            return new Exchange([], new CheckerError(
                CheckerErrorKind.Unreachable, Name, Text.Of("Checker.Err.Unreachable", Describe(ex)), Text.Of("Checker.Fix.Unreachable")));
        }
    }

    private CheckerError HttpError(HttpResponseMessage response, byte[] body)
    {
        int status = (int)response.StatusCode;
        ProblemResponse? problem = Deserialize(body, CheckerWireJsonContext.Default.ProblemResponse);
        string said = (problem?.Detail ?? problem?.Title ?? response.ReasonPhrase ?? string.Empty).Trim().TrimEnd('.');
        TimeSpan? retryAfter = response.Headers.RetryAfter?.Delta;
        Text wait = retryAfter is { } delay ? Text.Of("Checker.Wait.Seconds", Math.Ceiling(delay.TotalSeconds)) : Text.Of("Checker.Wait.Minute");
        Text fix = status switch
        {
            403 => Text.Of("Checker.Fix.Http403"),
            404 or 405 => Text.Of("Checker.Fix.Http404", Endpoint.Kind.ToString()),
            429 => Text.Of("Checker.Fix.Http429", wait),
            503 => Text.Of("Checker.Fix.Http503", wait),
            >= 400 and < 500 => Text.Of("Checker.Fix.Http4xx"),
            _ => Text.Of("Checker.Fix.Http5xx"),
        };

        // What the checker itself said (its problem detail) is passed on as it came.
        Text problemText = said.Length == 0 ? Text.Of("Checker.Err.Http", status) : Text.Of("Checker.Err.HttpSaid", status, said);
        return new CheckerError(CheckerErrorKind.HttpStatus, Name, problemText, fix, status, retryAfter);
    }

    private CheckerError BadResponse(string what) => new(
        CheckerErrorKind.BadResponse, Name, Text.Of("Checker.Err.BadResponse", Endpoint.Kind.ToString(), what), Text.Of("Checker.Fix.BadResponse"));

    private static T? Deserialize<T>(byte[] body, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize(body, typeInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(HttpRequestException ex)
    {
        // The innermost socket error says it best ("Connection refused", "Name or service not known").
        Exception? inner = ex;
        while (inner?.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner is SocketException socket ? socket.Message : ex.Message;
    }

    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private sealed record Exchange(byte[] Body, CheckerError? Error);
}
