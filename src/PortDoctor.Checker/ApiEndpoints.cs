using System.Buffers;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Reachability.Wire;

namespace PortDoctor.Checker;

/// <summary>The checker's HTTP endpoints: PortDoctor's API, the Transmission and echoip formats, health and the web page.</summary>
internal static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/ip", GetIp)
            .WithName("GetIp").WithSummary("The caller's address and source port as the checker sees them.")
            .WithTags("PortDoctor");
        app.MapPost("/api/v1/check", CheckAsync)
            .ConnectsBack()
            .WithName("Check").WithTags("PortDoctor")
            .WithSummary("Connects back to the caller's own address on one port and reports open, closed or filtered.")
            .Produces<CheckResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        app.MapGet("/healthz", () => TypedResults.Text("ok", "text/plain; charset=utf-8"))
            .WithName("Health").WithTags("Operations").WithSummary("Liveness: answers \"ok\" while the process serves requests.");
        app.MapGet("/{port:int}", TransmissionAsync)
            .ConnectsBack()
            .WithName("TransmissionPortTest").WithTags("Compatible")
            .WithSummary("Transmission's port test: body 1 when a TCP connection to the caller's port completes, else 0.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        app.MapGet("/port/{port:int}", EchoIpAsync)
            .ConnectsBack()
            .WithName("EchoIpPortTest").WithTags("Compatible")
            .WithSummary("echoip's port test: {ip, port, reachable} for a TCP connection to the caller's port.")
            .Produces<EchoIpPortResponse>(StatusCodes.Status200OK);
        app.MapGet("/", WebPage.Render)
            .WithName("Page").WithTags("Web")
            .WithSummary("The web page (Japanese and English; ?lang=ja|en) with the caller's address and a port check.")
            .Produces<string>(StatusCodes.Status200OK, "text/html");
    }

    /// <summary>What every endpoint that connects back to the caller shares: the rate limit, and the problems it answers
    /// (a bad request, a target it may not probe, too many requests, no capacity left).</summary>
    private static RouteHandlerBuilder ConnectsBack(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(RateLimitFilter.InvokeAsync)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static Ok<IpResponse> GetIp(HttpContext context)
    {
        var address = ForwardedFor.Normalise(context.Connection.RemoteIpAddress ?? System.Net.IPAddress.None);
        return TypedResults.Ok(new IpResponse(address.ToString(), context.Connection.RemotePort));
    }

    private static async Task<IResult> CheckAsync(HttpContext context, CheckService service)
    {
        (ParsedCheckRequest? check, IResult? refusal) = await ReadCheckRequestAsync(context).ConfigureAwait(false);
        if (check is null)
        {
            return refusal!;
        }

        CheckOutcome outcome = await service.CheckAsync(context, check.Port, check.Protocol, check.Nonce).ConfigureAwait(false);
        if (outcome.Problem is not null)
        {
            return outcome.Problem;
        }

        return TypedResults.Ok(new CheckResponse(outcome.Target.ToString(), check.Port, check.Protocol.ToCli(),
            CheckService.StateName(outcome.Result!.State), outcome.Result.RttMs));
    }

    // Transmission's port test: the body is exactly "1" (reachable) or "0".
    private static async Task<IResult> TransmissionAsync(int port, HttpContext context, CheckService service)
    {
        if (port is < 1 or > 65535)
        {
            return Problems.BadPort(port);
        }

        CheckOutcome outcome = await service.CheckAsync(context, port, TransportProtocol.Tcp, null).ConfigureAwait(false);
        return outcome.Problem ?? TypedResults.Text(outcome.Result!.State == Core.Reachability.ReachabilityState.Open ? "1" : "0", "text/plain; charset=utf-8");
    }

    // echoip's port test: {"ip","port","reachable"}.
    private static async Task<IResult> EchoIpAsync(int port, HttpContext context, CheckService service)
    {
        if (port is < 1 or > 65535)
        {
            return Problems.BadPort(port);
        }

        CheckOutcome outcome = await service.CheckAsync(context, port, TransportProtocol.Tcp, null).ConfigureAwait(false);
        return outcome.Problem ?? TypedResults.Ok(new EchoIpPortResponse(outcome.Target.ToString(), port,
            outcome.Result!.State == Core.Reachability.ReachabilityState.Open));
    }

    // Reads and parses the body in a frame of its own, with a pooled buffer that goes back before the probe
    // starts: the probe may wait for seconds, and a buffer held that long costs 1 KiB per request in flight.
    private static async ValueTask<(ParsedCheckRequest? Check, IResult? Problem)> ReadCheckRequestAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        if (!IsJson(request.ContentType))
        {
            return (null, Problems.UnsupportedMediaType());
        }

        if (request.ContentLength > CheckerOptions.MaxRequestBodyBytes)
        {
            return (null, Problems.TooLarge());
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(CheckerOptions.MaxRequestBodyBytes + 1);
        try
        {
            int total = 0;
            int read;
            while (total <= CheckerOptions.MaxRequestBodyBytes &&
                (read = await request.Body.ReadAsync(buffer.AsMemory(total, CheckerOptions.MaxRequestBodyBytes + 1 - total), context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            if (total > CheckerOptions.MaxRequestBodyBytes)
            {
                return (null, Problems.TooLarge());
            }

            return CheckRequestParser.TryRead(buffer.AsSpan(0, total), out ParsedCheckRequest? check, out RequestProblem? problem)
                ? (check, null)
                : (null, Problems.BadRequest(problem));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.TooLarge());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? media) && media.MediaType is { } type &&
        (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}
