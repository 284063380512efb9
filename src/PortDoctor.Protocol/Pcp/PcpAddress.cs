using System.Net;
using System.Net.Sockets;

namespace PortDoctor.Protocol.Pcp;

/// <summary>
/// PCP carries every address in 128 bits; an IPv4 address is sent IPv4-mapped (::ffff:a.b.c.d, RFC 6887 §5),
/// so the all-zeros IPv4 suggestion is ::ffff:0.0.0.0, not :: (docs/quirks.md#Q-PCP-SUGGESTED-ADDRESS).
/// </summary>
public static class PcpAddress
{
    /// <summary>The 16-byte form of "no external address suggested" for an IPv4 mapping: ::ffff:0.0.0.0.</summary>
    public static readonly IPAddress AnyIPv4 = IPAddress.Any.MapToIPv6();

    /// <summary>Writes <paramref name="address"/> as 16 bytes, IPv4 as IPv4-mapped IPv6.</summary>
    /// <param name="address">An IPv4 or IPv6 address.</param>
    /// <param name="destination">At least 16 bytes.</param>
    /// <returns>False when <paramref name="destination"/> is too short or the address is neither IPv4 nor IPv6.</returns>
    public static bool TryWrite(IPAddress address, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(address);
        IPAddress v6 = address.AddressFamily switch
        {
            AddressFamily.InterNetwork => address.MapToIPv6(),
            AddressFamily.InterNetworkV6 => address,
            _ => IPAddress.None,
        };
        return v6.AddressFamily == AddressFamily.InterNetworkV6 && destination.Length >= 16 && v6.TryWriteBytes(destination, out _);
    }

    /// <summary>Reads 16 bytes; an IPv4-mapped address comes back as plain IPv4.</summary>
    /// <param name="source">At least 16 bytes; only the first 16 are read.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentException"><paramref name="source"/> is shorter than 16 bytes.</exception>
    public static IPAddress Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < 16)
        {
            throw new ArgumentException("A PCP address is 16 bytes.", nameof(source));
        }

        var address = new IPAddress(source[..16]);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
