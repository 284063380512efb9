using System.Text.Json;
using System.Text.Json.Serialization;

namespace PortDoctor.Core.Reachability.Wire;

/// <summary>The body of <c>GET /api/v1/ip</c>: the caller's address as the checker saw it.</summary>
/// <param name="Ip">The caller's address; IPv4-mapped IPv6 addresses are written as IPv4.</param>
/// <param name="Port">The caller's source port, 0–65535 (0 when a trusted proxy did not say).</param>
public sealed record IpResponse(
    [property: JsonPropertyName("ip")] string Ip,
    [property: JsonPropertyName("port")] int Port);

/// <summary>The body of <c>POST /api/v1/check</c>.</summary>
/// <param name="Port">The port to test on the caller's own address, 1–65535.</param>
/// <param name="Protocol"><c>tcp</c> or <c>udp</c>.</param>
/// <param name="Nonce">Required for UDP: 1–64 characters of <c>[A-Za-z0-9-_]</c> that the responder must echo back.</param>
public sealed record CheckRequest(
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("protocol")] string Protocol,
    [property: JsonPropertyName("nonce"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Nonce);

/// <summary>The body of a successful <c>POST /api/v1/check</c>.</summary>
/// <param name="Ip">The address that was tested (the caller's own).</param>
/// <param name="Port">The port that was tested, 1–65535.</param>
/// <param name="Protocol"><c>tcp</c> or <c>udp</c>.</param>
/// <param name="State"><c>open</c>, <c>closed</c> or <c>filtered</c> (see <see cref="ReachabilityState"/>).</param>
/// <param name="RttMs">Milliseconds from the probe's start to the answer (connect or echo); null when nothing answered.</param>
public sealed record CheckResponse(
    [property: JsonPropertyName("ip")] string Ip,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("protocol")] string Protocol,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("rttMs")] double? RttMs);

/// <summary>The body of echoip's <c>GET /port/{port}</c>, which PortDoctor's checker also serves.</summary>
/// <param name="Ip">The address that was tested.</param>
/// <param name="Port">The port that was tested.</param>
/// <param name="Reachable">True when a TCP connection completed.</param>
public sealed record EchoIpPortResponse(
    [property: JsonPropertyName("ip")] string Ip,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("reachable")] bool Reachable);

/// <summary>The members of an RFC 9457 problem details document that a client reports.</summary>
/// <param name="Type">A URI naming the problem type, or null.</param>
/// <param name="Title">A short summary, or null.</param>
/// <param name="Status">The HTTP status code, or null.</param>
/// <param name="Detail">The explanation of this occurrence, or null.</param>
public sealed record ProblemResponse(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("detail")] string? Detail);

/// <summary>
/// Source-generated JSON metadata for the checker's wire models, so that client and server need no
/// reflection (NativeAOT and trimming).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IpResponse))]
[JsonSerializable(typeof(CheckRequest))]
[JsonSerializable(typeof(CheckResponse))]
[JsonSerializable(typeof(EchoIpPortResponse))]
[JsonSerializable(typeof(ProblemResponse))]
public sealed partial class CheckerWireJsonContext : JsonSerializerContext;
