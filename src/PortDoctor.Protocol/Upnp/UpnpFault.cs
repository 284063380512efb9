namespace PortDoctor.Protocol.Upnp;

/// <summary>A SOAP fault from a control request (UDA 1.1 §3.2.2).</summary>
/// <param name="RawCode">The errorCode number as sent, or null when the fault had none.</param>
/// <param name="ErrorDescription">errorDescription, or null.</param>
/// <param name="FaultString">faultstring (any letter case), or null.</param>
public sealed record UpnpFault(int? RawCode, string? ErrorDescription, string? FaultString)
{
    /// <summary>The code as an enum; <see cref="UpnpErrorCode.Unknown"/> for unlisted or missing codes.</summary>
    public UpnpErrorCode Code =>
        RawCode is int raw && raw != 0 && Enum.IsDefined((UpnpErrorCode)raw) ? (UpnpErrorCode)raw : UpnpErrorCode.Unknown;

    /// <summary>"725 OnlyPermanentLeasesSupported (router: …)" for messages.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        string number = RawCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no error code";
        string name = Code == UpnpErrorCode.Unknown ? string.Empty : " " + Code;
        string? said = ErrorDescription ?? FaultString;
        return said is null ? number + name : $"{number}{name} (router: '{SsdpResponseParser.Printable(said)}')";
    }
}
