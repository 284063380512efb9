using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Upnp;

/// <summary>The result of one UPnP action: a value, a router fault (as data), or an unusable answer.</summary>
/// <typeparam name="T">The value type.</typeparam>
internal sealed record UpnpCallResult<T>
{
    /// <summary>The value on success.</summary>
    public T? Value { get; init; }

    /// <summary>The router's fault, or null.</summary>
    public UpnpFault? Fault { get; init; }

    /// <summary>Why the answer could not be used (malformed, too large, missing arguments), or null.</summary>
    public string? Error { get; init; }

    /// <summary>What had to be repaired to read the router's answer (docs/quirks.md); none for a conforming one.</summary>
    public SoapRepairs Repairs { get; init; }

    /// <summary>The HTTP status code of the answer.</summary>
    public int HttpStatus { get; init; }

    /// <summary>True when there is neither a fault nor an error.</summary>
    public bool Succeeded => Fault is null && Error is null;

    /// <summary>True when the router answered with the given fault code.</summary>
    /// <param name="code">The code.</param>
    /// <returns>True on a match.</returns>
    public bool IsFault(UpnpErrorCode code) => Fault is not null && Fault.Code == code;

    /// <summary>The fault or error as one line, for messages; "ok" on success.</summary>
    /// <returns>The text.</returns>
    public string Describe() => Fault?.ToString() ?? Error ?? "ok";
}
