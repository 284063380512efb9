namespace PortDoctor.Protocol.Upnp;

/// <summary>A parsed control response: either a fault or the out-arguments.</summary>
/// <param name="Fault">The fault, or null on success.</param>
/// <param name="Arguments">The out-arguments by local name (letter case ignored), values as sent (not trimmed); empty on a fault.</param>
/// <param name="ResponseElementFound">True when an <c>&lt;ActionResponse&gt;</c> element was present. A 200 answer
/// without it still counts as success for actions without out-arguments (docs/quirks.md#Q-SOAP-NAMESPACES).</param>
public sealed record SoapResponse(UpnpFault? Fault, IReadOnlyDictionary<string, string> Arguments, bool ResponseElementFound)
{
    /// <summary>What had to be repaired to read the body; <see cref="SoapRepairs.None"/> for a conforming one.</summary>
    public SoapRepairs Repairs { get; init; }

    /// <summary>True when there is no fault.</summary>
    public bool IsSuccess => Fault is null;
}
