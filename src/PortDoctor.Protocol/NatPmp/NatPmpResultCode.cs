namespace PortDoctor.Protocol.NatPmp;

/// <summary>
/// NAT-PMP result codes (RFC 6886 §3.5). The wire field is 16 bits; a value not listed here is kept as
/// its raw number in the enum (check with <see cref="Enum.IsDefined{TEnum}(TEnum)"/>).
/// </summary>
public enum NatPmpResultCode : ushort
{
    /// <summary>0: the request succeeded.</summary>
    Success = 0,

    /// <summary>1: the gateway does not speak the request's version (a NAT-PMP-only gateway answers a PCP request with this).</summary>
    UnsupportedVersion = 1,

    /// <summary>2: the gateway supports mapping but it is switched off, or not allowed for this client.</summary>
    NotAuthorized = 2,

    /// <summary>3: the gateway has no working external connection (no DHCP lease on the WAN side, for example).</summary>
    NetworkFailure = 3,

    /// <summary>4: the gateway cannot create more mappings (table full).</summary>
    OutOfResources = 4,

    /// <summary>5: the gateway does not know the request's opcode.</summary>
    UnsupportedOpcode = 5,
}

/// <summary>Text for <see cref="NatPmpResultCode"/> values, unknown ones included.</summary>
public static class NatPmpResultCodeText
{
    /// <summary>Describes a result code as "NUMBER NAME" (for example "2 NotAuthorized" or "77 unknown").</summary>
    /// <param name="code">The code as read from the wire.</param>
    /// <returns>The description.</returns>
    public static string Describe(this NatPmpResultCode code) =>
        Enum.IsDefined(code) ? $"{(ushort)code} {code}" : $"{(ushort)code} unknown";
}
