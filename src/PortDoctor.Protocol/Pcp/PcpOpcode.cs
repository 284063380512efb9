namespace PortDoctor.Protocol.Pcp;

/// <summary>PCP opcodes (RFC 6887 §19.2) that this implementation sends.</summary>
public enum PcpOpcode : byte
{
    /// <summary>0 ANNOUNCE (§14.1): a header-only request; a PCP server answers, which tells that it is there.</summary>
    Announce = 0,

    /// <summary>1 MAP (§11): create, renew or delete (lifetime 0) an inbound mapping.</summary>
    Map = 1,
}

/// <summary>The transport protocol of a PCP mapping, as its IANA protocol number (RFC 6887 §11.1).</summary>
public enum PcpMapProtocol : byte
{
    /// <summary>6: TCP.</summary>
    Tcp = 6,

    /// <summary>17: UDP.</summary>
    Udp = 17,
}
