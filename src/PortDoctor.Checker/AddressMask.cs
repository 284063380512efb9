using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PortDoctor.Checker;

/// <summary>Shortens client addresses for logs so that a log alone does not identify a household.</summary>
public static class AddressMask
{
    /// <summary>Masks an address: IPv4 keeps three octets (<c>203.0.113.x</c>), IPv6 keeps the /48 (<c>2001:db8:1::/48</c>).</summary>
    /// <param name="address">The address, or null.</param>
    /// <param name="full">True to return the address unmasked (the LogFullAddresses option).</param>
    /// <returns>The text to log; "unknown" for null.</returns>
    public static string Mask(IPAddress? address, bool full)
    {
        if (address is null)
        {
            return "unknown";
        }

        address = ForwardedFor.Normalise(address);
        if (full)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes[0]}.{bytes[1]}.{bytes[2]}.x");
        }

        bytes[6..written].Clear();
        return new IPAddress(bytes[..written]) + "/48";
    }
}
