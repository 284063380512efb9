namespace PortDoctor.Core.Mapping;

/// <summary>The transport protocol of a port mapping, firewall rule or reachability check.</summary>
public enum TransportProtocol
{
    /// <summary>TCP (IANA protocol number 6).</summary>
    Tcp,

    /// <summary>UDP (IANA protocol number 17).</summary>
    Udp,
}

/// <summary>Conversions between <see cref="TransportProtocol"/> and the spellings protocols use.</summary>
public static class TransportProtocolNames
{
    /// <summary>
    /// The upper-case name UPnP's <c>NewProtocol</c> argument requires ("TCP"/"UDP"). Always upper-case:
    /// some routers answer lower-case with fault 402 (docs/quirks.md#Q-UPNP-PROTOCOL-CASE).
    /// </summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>"TCP" or "UDP".</returns>
    public static string ToUpnp(this TransportProtocol protocol) => protocol == TransportProtocol.Tcp ? "TCP" : "UDP";

    /// <summary>The lower-case name used on our command line and in JSON ("tcp"/"udp").</summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>"tcp" or "udp".</returns>
    public static string ToCli(this TransportProtocol protocol) => protocol == TransportProtocol.Tcp ? "tcp" : "udp";

    /// <summary>Parses "tcp"/"udp" in any letter case.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="protocol">The protocol when the result is true.</param>
    /// <returns>True when <paramref name="text"/> names TCP or UDP.</returns>
    public static bool TryParse(string? text, out TransportProtocol protocol)
    {
        if (string.Equals(text, "tcp", StringComparison.OrdinalIgnoreCase)) { protocol = TransportProtocol.Tcp; return true; }
        if (string.Equals(text, "udp", StringComparison.OrdinalIgnoreCase)) { protocol = TransportProtocol.Udp; return true; }
        protocol = default;
        return false;
    }
}
