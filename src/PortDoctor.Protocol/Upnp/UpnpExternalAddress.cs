using System.Net;
using System.Net.Sockets;

namespace PortDoctor.Protocol.Upnp;

/// <summary>
/// Interprets GetExternalIPAddress answers. Routers with the WAN down or behind odd setups send empty,
/// 0.0.0.0 or garbage (docs/quirks.md#Q-EXTERNAL-IP-USELESS): all of these mean "unknown" (null), never an exception.
/// Private and carrier-grade addresses are returned as they are; classifying them is the caller's job.
/// </summary>
public static class UpnpExternalAddress
{
    /// <summary>Interprets a NewExternalIPAddress value.</summary>
    /// <param name="text">The value as sent.</param>
    /// <returns>The IPv4 address, or null for empty, non-dotted-quad, unspecified (0.0.0.0/8), loopback,
    /// multicast, or broadcast values.</returns>
    public static IPAddress? Interpret(string? text)
    {
        string value = (text ?? string.Empty).Trim();
        // IPAddress.TryParse also takes "1" or "0x7f.1"; a router must send a dotted quad.
        if (value.Length is < 7 or > 15 || value.Count(c => c == '.') != 3 || !value.All(c => c == '.' || char.IsAsciiDigit(c)))
        {
            return null;
        }

        if (!IPAddress.TryParse(value, out IPAddress? address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return null;
        }

        byte[] b = address.GetAddressBytes();
        bool useless = b[0] == 0 || b[0] == 127 || b[0] >= 224;
        return useless ? null : address;
    }

    /// <summary>Reads the address from a whole GetExternalIPAddress response body.</summary>
    /// <param name="body">The HTTP body.</param>
    /// <param name="httpStatus">The HTTP status code.</param>
    /// <returns>The address, or null when the answer is a fault, malformed, or holds no usable address.</returns>
    public static IPAddress? FromResponse(ReadOnlySpan<byte> body, int httpStatus) =>
        SoapResponseParser.TryRead(body, httpStatus, UpnpActions.GetExternalIPAddress, out SoapResponse? response, out _)
        && response.IsSuccess
        && response.Arguments.TryGetValue("NewExternalIPAddress", out string? value)
            ? Interpret(value)
            : null;
}
