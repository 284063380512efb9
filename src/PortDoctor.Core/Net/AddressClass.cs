using System.Net;
using System.Net.Sockets;

namespace PortDoctor.Core.Net;

/// <summary>What kind of address an IP address is, for diagnosis (double NAT, CGNAT) and checker safety.</summary>
public enum AddressKind
{
    /// <summary>A global unicast address: reachable from the internet when nothing blocks it.</summary>
    Public,

    /// <summary>RFC 1918 private (10/8, 172.16/12, 192.168/16) or IPv6 unique local (fc00::/7).</summary>
    Private,

    /// <summary>Carrier-grade NAT shared space, RFC 6598 (100.64.0.0/10).</summary>
    CarrierGradeNat,

    /// <summary>Loopback (127/8, ::1).</summary>
    Loopback,

    /// <summary>Link-local (169.254/16, fe80::/10).</summary>
    LinkLocal,

    /// <summary>Multicast (224/4, ff00::/8).</summary>
    Multicast,

    /// <summary>Unspecified (0.0.0.0, ::).</summary>
    Unspecified,

    /// <summary>Other special-purpose ranges (RFC 6890): 0/8, 192.0.0/24, documentation blocks, 198.18/15, 240/4, broadcast.</summary>
    Reserved,
}

/// <summary>Classifies addresses per RFC 6890 (special-purpose registries) and RFC 6598.</summary>
public static class AddressClass
{
    /// <summary>Classifies an address. IPv4-mapped IPv6 addresses are classified as their IPv4 address.</summary>
    /// <param name="address">The address.</param>
    /// <returns>Its kind.</returns>
    public static AddressKind Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return (b[0], b[1], b[2]) switch
            {
                (0, 0, 0) when b[3] == 0 => AddressKind.Unspecified,
                (0, _, _) => AddressKind.Reserved,
                (10, _, _) => AddressKind.Private,
                (100, >= 64 and <= 127, _) => AddressKind.CarrierGradeNat,
                (127, _, _) => AddressKind.Loopback,
                (169, 254, _) => AddressKind.LinkLocal,
                (172, >= 16 and <= 31, _) => AddressKind.Private,
                (192, 0, 0) or (192, 0, 2) or (192, 88, 99) => AddressKind.Reserved,
                (192, 168, _) => AddressKind.Private,
                (198, 18 or 19, _) or (198, 51, 100) or (203, 0, 113) => AddressKind.Reserved,
                ( >= 224 and <= 239, _, _) => AddressKind.Multicast,
                ( >= 240, _, _) => AddressKind.Reserved,
                _ => AddressKind.Public,
            };
        }

        if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any))
        {
            return AddressKind.Unspecified;
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return AddressKind.Loopback;
        }

        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);
        if (v6[0] == 0xff)
        {
            return AddressKind.Multicast;
        }

        if (v6[0] == 0xfe && (v6[1] & 0xc0) == 0x80)
        {
            return AddressKind.LinkLocal;
        }

        if ((v6[0] & 0xfe) == 0xfc)
        {
            return AddressKind.Private;
        }

        // 2001:db8::/32 documentation; ::/8 other than the cases above.
        if ((v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8) || v6[0] == 0)
        {
            return AddressKind.Reserved;
        }

        return AddressKind.Public;
    }

    /// <summary>True when the address is a global unicast address.</summary>
    /// <param name="address">The address.</param>
    /// <returns>True for <see cref="AddressKind.Public"/>.</returns>
    public static bool IsPublic(IPAddress address) => Classify(address) == AddressKind.Public;
}
