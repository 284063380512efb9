namespace PortDoctor.Protocol.Pcp;

/// <summary>
/// PCP result codes (RFC 6887 §7.4). The wire field is 8 bits; a value not listed here is kept as its raw
/// number in the enum (check with <see cref="Enum.IsDefined{TEnum}(TEnum)"/>).
/// </summary>
public enum PcpResultCode : byte
{
    /// <summary>0 SUCCESS.</summary>
    Success = 0,

    /// <summary>1 UNSUPP_VERSION: the server does not speak this PCP version.</summary>
    UnsupportedVersion = 1,

    /// <summary>2 NOT_AUTHORIZED: mapping is switched off, or not allowed for this client (long-lifetime error).</summary>
    NotAuthorized = 2,

    /// <summary>3 MALFORMED_REQUEST: the server could not parse the request.</summary>
    MalformedRequest = 3,

    /// <summary>4 UNSUPP_OPCODE: the server does not know the opcode.</summary>
    UnsupportedOpcode = 4,

    /// <summary>5 UNSUPP_OPTION: a mandatory option in the request is unknown to the server.</summary>
    UnsupportedOption = 5,

    /// <summary>6 MALFORMED_OPTION: an option in the request is malformed.</summary>
    MalformedOption = 6,

    /// <summary>7 NETWORK_FAILURE: the server cannot reach its external network (short-lifetime error).</summary>
    NetworkFailure = 7,

    /// <summary>8 NO_RESOURCES: the server is out of mappings or state (short-lifetime error).</summary>
    NoResources = 8,

    /// <summary>9 UNSUPP_PROTOCOL: the transport protocol is not supported.</summary>
    UnsupportedProtocol = 9,

    /// <summary>10 USER_EX_QUOTA: this client holds as many mappings as it may.</summary>
    UserExceededQuota = 10,

    /// <summary>11 CANNOT_PROVIDE_EXTERNAL: the suggested external port or address is taken and PREFER_FAILURE was set,
    /// or the server cannot give any.</summary>
    CannotProvideExternal = 11,

    /// <summary>12 ADDRESS_MISMATCH: the client address in the header is not the packet's source address.</summary>
    AddressMismatch = 12,

    /// <summary>13 EXCESSIVE_REMOTE_PEERS: too many remote peers (FILTER option).</summary>
    ExcessiveRemotePeers = 13,
}

/// <summary>Text for <see cref="PcpResultCode"/> values, unknown ones included.</summary>
public static class PcpResultCodeText
{
    /// <summary>Describes a result code as "NUMBER NAME" (for example "2 NOT_AUTHORIZED" or "99 unknown").</summary>
    /// <param name="code">The code as read from the wire.</param>
    /// <returns>The description, with the RFC 6887 §7.4 name.</returns>
    public static string Describe(this PcpResultCode code) => code switch
    {
        PcpResultCode.Success => "0 SUCCESS",
        PcpResultCode.UnsupportedVersion => "1 UNSUPP_VERSION",
        PcpResultCode.NotAuthorized => "2 NOT_AUTHORIZED",
        PcpResultCode.MalformedRequest => "3 MALFORMED_REQUEST",
        PcpResultCode.UnsupportedOpcode => "4 UNSUPP_OPCODE",
        PcpResultCode.UnsupportedOption => "5 UNSUPP_OPTION",
        PcpResultCode.MalformedOption => "6 MALFORMED_OPTION",
        PcpResultCode.NetworkFailure => "7 NETWORK_FAILURE",
        PcpResultCode.NoResources => "8 NO_RESOURCES",
        PcpResultCode.UnsupportedProtocol => "9 UNSUPP_PROTOCOL",
        PcpResultCode.UserExceededQuota => "10 USER_EX_QUOTA",
        PcpResultCode.CannotProvideExternal => "11 CANNOT_PROVIDE_EXTERNAL",
        PcpResultCode.AddressMismatch => "12 ADDRESS_MISMATCH",
        PcpResultCode.ExcessiveRemotePeers => "13 EXCESSIVE_REMOTE_PEERS",
        _ => $"{(byte)code} unknown",
    };
}
