using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PortDoctor.Checker;

/// <summary>RFC 9457 problem details for every refusal the checker makes, each with the member at fault and the fix.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(RequestProblem problem) =>
        Create(StatusCodes.Status400BadRequest, "The check request is not valid.", problem.Detail, problem.Fix, problem.Field);

    public static ProblemHttpResult TooLarge() =>
        Create(StatusCodes.Status413PayloadTooLarge, "The request body is too large.",
            $"The body exceeds {CheckerOptions.MaxRequestBodyBytes} bytes.",
            "Send only {\"port\", \"protocol\", \"nonce\"}; a check request is under 100 bytes.", "body");

    public static ProblemHttpResult UnsupportedMediaType() =>
        Create(StatusCodes.Status415UnsupportedMediaType, "The request body must be JSON.",
            "The Content-Type is not application/json.", "Send the body with Content-Type: application/json.", "body");

    public static ProblemHttpResult BadPort(int port) =>
        Create(StatusCodes.Status400BadRequest, "The port is not valid.",
            string.Create(CultureInfo.InvariantCulture, $"Port {port} is outside 1-65535."), "Ask for a port from 1 to 65535.", "port");

    public static ProblemHttpResult RefusedTarget(string address, string kind) =>
        Create(StatusCodes.Status403Forbidden, "The checker does not probe this address.",
            $"Your address {address} is a {kind} address; this checker connects back only to public internet addresses.",
            "Run the check from the network whose port you want to test, against a checker on the internet. " +
            "A checker inside your own network sees your private address; its operator can allow that for labs with --allow-private.",
            "ip");

    public static ProblemHttpResult Busy(int retryAfterSeconds) =>
        Create(StatusCodes.Status503ServiceUnavailable, "The checker is busy.",
            "Too many checks are running at once.",
            string.Create(CultureInfo.InvariantCulture, $"Try again in {retryAfterSeconds} seconds."), null);

    public static ProblemHttpResult TooManyRequests(int? retryAfterSeconds) =>
        Create(StatusCodes.Status429TooManyRequests, "Too many checks from your address.",
            "This checker limits how many checks one address may ask for in a short time.",
            retryAfterSeconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"Try again in {s} seconds.") : "Try again in a minute.", null,
            type: "https://www.rfc-editor.org/rfc/rfc6585#section-4");

    /// <summary>
    /// Adds a fix to the framework's own problem details (404 for an unknown path, 405 for a wrong method), so that
    /// every refusal says what to do.
    /// </summary>
    public static void AddFix(ProblemDetailsContext context)
    {
        HttpContext http = context.HttpContext;
        string? fix = context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound =>
                "See /openapi/v1.json for the endpoints: POST /api/v1/check, GET /api/v1/ip, GET /PORT (Transmission), GET /port/PORT (echoip), GET /.",
            StatusCodes.Status405MethodNotAllowed => http.Response.Headers.Allow is { Count: > 0 } allow
                ? $"Use {allow} for {http.Request.Path}."
                : "See /openapi/v1.json for the methods each path takes.",
            _ => null,
        };
        if (fix is not null)
        {
            context.ProblemDetails.Extensions.TryAdd("fix", fix);
        }
    }

    private static ProblemHttpResult Create(int status, string title, string detail, string fix, string? field, string? type = null)
    {
        var extensions = new Dictionary<string, object?> { ["fix"] = fix };
        if (field is not null)
        {
            extensions["field"] = field;
        }

        return TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type, extensions: extensions);
    }
}
