using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Checker;

/// <summary>A validated <c>POST /api/v1/check</c> request.</summary>
/// <param name="Port">1–65535.</param>
/// <param name="Protocol">TCP or UDP.</param>
/// <param name="Nonce">A valid nonce (always set for UDP), or null.</param>
public sealed record ParsedCheckRequest(int Port, TransportProtocol Protocol, string? Nonce);

/// <summary>What is wrong with a request: the JSON member, the problem and the fix.</summary>
/// <param name="Field">The member name (<c>port</c>, <c>protocol</c>, <c>nonce</c>, another member's name, or <c>body</c>).</param>
/// <param name="Detail">What is wrong.</param>
/// <param name="Fix">How to write it instead.</param>
public sealed record RequestProblem(string Field, string Detail, string Fix);

/// <summary>
/// Reads the check request strictly: a JSON object with <c>port</c> (integer 1–65535), <c>protocol</c>
/// (<c>tcp</c>/<c>udp</c>) and <c>nonce</c> (required for UDP: 1–64 of <c>[A-Za-z0-9-_]</c>); any other
/// member, a repeated member or trailing data is refused. Pure; never throws on malformed input.
/// </summary>
public static class CheckRequestParser
{
    private const string PortFix = "Send \"port\" as a JSON integer from 1 to 65535, e.g. {\"port\": 8080, \"protocol\": \"tcp\"}.";
    private const string ProtocolFix = "Send \"protocol\": \"tcp\" or \"protocol\": \"udp\".";
    private const string NonceFix = "Send \"nonce\" as 1-64 characters of A-Z, a-z, 0-9, '-' or '_', and echo the datagram back from the port.";

    /// <summary>Parses and validates a request body.</summary>
    /// <param name="json">The UTF-8 body.</param>
    /// <param name="request">The request when the result is true.</param>
    /// <param name="problem">The first problem found when the result is false.</param>
    /// <returns>True when the body is a valid check request.</returns>
    public static bool TryRead(ReadOnlySpan<byte> json, [NotNullWhen(true)] out ParsedCheckRequest? request, [NotNullWhen(false)] out RequestProblem? problem)
    {
        request = null;
        try
        {
            return TryReadCore(json, out request, out problem);
        }
        catch (JsonException ex)
        {
            problem = new RequestProblem("body", $"The body is not valid JSON: {ex.Message}", "Send a JSON object such as {\"port\": 8080, \"protocol\": \"tcp\"}.");
            return false;
        }
    }

    private static bool TryReadCore(ReadOnlySpan<byte> json, out ParsedCheckRequest? request, [NotNullWhen(false)] out RequestProblem? problem)
    {
        request = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            problem = new RequestProblem("body", "The body must be a JSON object.", "Send a JSON object such as {\"port\": 8080, \"protocol\": \"tcp\"}.");
            return false;
        }

        int? port = null;
        TransportProtocol? protocol = null;
        string? nonce = null;
        bool sawNonce = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "port":
                    if (port is not null) { problem = Duplicate(name); return false; }
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int value))
                    {
                        problem = new RequestProblem("port", $"\"port\" must be a whole number, not {Describe(ref reader)}.", PortFix);
                        return false;
                    }

                    if (value is < 1 or > 65535)
                    {
                        problem = new RequestProblem("port", $"\"port\" is {value}; ports run from 1 to 65535.", PortFix);
                        return false;
                    }

                    port = value;
                    break;
                case "protocol":
                    if (protocol is not null) { problem = Duplicate(name); return false; }
                    if (reader.TokenType != JsonTokenType.String || !TransportProtocolNames.TryParse(reader.GetString(), out TransportProtocol parsed))
                    {
                        problem = new RequestProblem("protocol", $"\"protocol\" must be \"tcp\" or \"udp\", not {Describe(ref reader)}.", ProtocolFix);
                        return false;
                    }

                    protocol = parsed;
                    break;
                case "nonce":
                    if (sawNonce) { problem = Duplicate(name); return false; }
                    sawNonce = true;
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        break;
                    }

                    if (reader.TokenType != JsonTokenType.String || !CheckerNonce.IsValid(reader.GetString()))
                    {
                        problem = new RequestProblem("nonce", $"\"nonce\" must be 1-{CheckerNonce.MaxLength} characters of A-Z, a-z, 0-9, '-' or '_'; got {Describe(ref reader)}.", NonceFix);
                        return false;
                    }

                    nonce = reader.GetString();
                    break;
                default:
                    problem = new RequestProblem(name, $"Unknown member \"{Truncate(name)}\".", "Send only \"port\", \"protocol\" and, for UDP, \"nonce\".");
                    return false;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            problem = new RequestProblem("body", "The body has data after the JSON object.", "Send exactly one JSON object.");
            return false;
        }

        if (port is null)
        {
            problem = new RequestProblem("port", "\"port\" is missing.", PortFix);
            return false;
        }

        if (protocol is null)
        {
            problem = new RequestProblem("protocol", "\"protocol\" is missing.", ProtocolFix);
            return false;
        }

        if (protocol == TransportProtocol.Udp && nonce is null)
        {
            problem = new RequestProblem("nonce", "A UDP check needs \"nonce\": the checker sends it and waits for it to come back.", NonceFix);
            return false;
        }

        request = new ParsedCheckRequest(port.Value, protocol.Value, nonce);
        problem = null;
        return true;
    }

    private static RequestProblem Duplicate(string name) =>
        new(name, $"\"{name}\" appears more than once.", $"Send \"{name}\" once.");

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"the string \"{Truncate(reader.GetString() ?? string.Empty)}\"",
        JsonTokenType.Number => $"the number {Truncate(System.Text.Encoding.UTF8.GetString(reader.ValueSpan))}",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => "a " + reader.TokenType,
    };

    // Echoed values are cut short so that a problem document never repeats a large payload.
    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
