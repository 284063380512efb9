namespace PortDoctor.Protocol.Upnp;

/// <summary>What <see cref="SoapResponseParser"/> had to repair to read a router's answer (docs/quirks.md);
/// <see cref="None"/> for a well-formed, conforming body. Kept as data so that --verbose and diagnosis can
/// say that the router's answer was broken even when it was understood.</summary>
[Flags]
public enum SoapRepairs
{
    /// <summary>Nothing was repaired.</summary>
    None = 0,

    /// <summary>The body used namespace prefixes it never declared; it was read with namespaces off.</summary>
    UndeclaredPrefixes = 1,

    /// <summary>The body was not well-formed XML (cut short, mismatched or unclosed tags); the fault's
    /// errorCode, errorDescription and faultstring were recovered by a tolerant scan.</summary>
    FaultRecovered = 2,

    /// <summary>The body was not well-formed XML; the out-arguments of the <c>…Response</c> element were
    /// recovered by a tolerant scan.</summary>
    ArgumentsRecovered = 4,

    /// <summary>The single out-argument's value was written directly inside the <c>…Response</c> element,
    /// without its argument element; it was taken as that argument.</summary>
    BareValue = 8,
}
