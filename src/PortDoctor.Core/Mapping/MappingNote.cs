using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Mapping;

/// <summary>Something worth telling about a request: a retry, a grant that differs from the request, a mapping already gone.</summary>
public abstract record MappingNote : MappingFact;

/// <summary>NAT-PMP and PCP have no permanent mappings, so a permanent lease was asked as <paramref name="Seconds"/>.</summary>
/// <param name="Seconds">The lease asked instead.</param>
internal sealed record PermanentAskedAsFiniteNote(long Seconds) : MappingNote
{
    /// <inheritdoc/>
    public override string Code => "permanent-asked-as-finite";
}

/// <summary>The router granted another external port than asked.</summary>
/// <param name="Granted">The external port granted.</param>
/// <param name="Asked">The external port asked for.</param>
internal sealed record ExternalPortChangedNote(int Granted, int Asked) : MappingNote
{
    /// <inheritdoc/>
    public override string Code => "external-port-changed";
}

/// <summary>The router granted a shorter lease than asked.</summary>
/// <param name="GrantedSeconds">The lease granted.</param>
/// <param name="AskedSeconds">The lease asked for.</param>
internal sealed record ShorterLeaseNote(long GrantedSeconds, long AskedSeconds) : MappingNote
{
    /// <inheritdoc/>
    public override string Code => "shorter-lease";
}

/// <summary>The lease was capped at the IGD:2 maximum before asking.</summary>
/// <param name="Seconds">The cap.</param>
internal sealed record LeaseCappedNote(long Seconds) : MappingNote
{
    /// <inheritdoc/>
    public override string Code => "lease-capped";
}

/// <summary>The router refused the lease with a fault (725 only-permanent, 402 invalid args) and the request was
/// retried once with another lease.</summary>
/// <param name="FaultCode">The fault's errorCode as sent.</param>
/// <param name="Error">The fault as an enum.</param>
/// <param name="AskedSeconds">The lease first asked (0 = permanent).</param>
/// <param name="RetriedSeconds">The lease asked on the retry (0 = permanent).</param>
internal sealed record LeaseRetriedNote(int? FaultCode, UpnpErrorCode Error, long AskedSeconds, long RetriedSeconds) : MappingNote
{
    /// <inheritdoc/>
    public override string Code => "lease-retried";

    /// <inheritdoc/>
    public override int? ProtocolCode => FaultCode;
}

/// <summary>The router already held the mapping for this PC; it was kept.</summary>
internal sealed record AlreadyHeldNote : MappingNote
{
    /// <inheritdoc/>
    public override string Code => "already-held";
}

/// <summary>The port was held by another host and the router granted another external port instead (IGD:2 AddAnyPortMapping).</summary>
/// <param name="Holder">The other host.</param>
/// <param name="HolderPort">The port it forwards to.</param>
/// <param name="Granted">The external port granted instead.</param>
internal sealed record OtherPortGrantedNote(string Holder, int HolderPort, int Granted) : MappingNote
{
    /// <inheritdoc/>
    public override string Code => "other-port-granted";
}

/// <summary>Asking for any other external port (IGD:2 AddAnyPortMapping) failed too.</summary>
/// <param name="FaultCode">The fault's errorCode, or null for an unusable answer.</param>
internal sealed record OtherPortRefusedNote(int? FaultCode) : MappingNote
{
    /// <inheritdoc/>
    public override string Code => "other-port-refused";

    /// <inheritdoc/>
    public override int? ProtocolCode => FaultCode;
}

/// <summary>The mapping could not be read back; the router's yes was trusted.</summary>
/// <param name="FaultCode">The fault's errorCode, or null for an unusable answer.</param>
internal sealed record ReadBackUnavailableNote(int? FaultCode) : MappingNote
{
    /// <inheritdoc/>
    public override string Code => "read-back-unavailable";

    /// <inheritdoc/>
    public override int? ProtocolCode => FaultCode;
}

/// <summary>The router made the mapping permanent (lease 0 read back); it stays until it is closed.</summary>
internal sealed record MadePermanentNote : MappingNote
{
    /// <inheritdoc/>
    public override string Code => "made-permanent";
}

/// <summary>Deleting: the router held no such mapping any more.</summary>
internal sealed record AlreadyGoneNote : MappingNote
{
    /// <inheritdoc/>
    public override string Code => "already-gone";
}

/// <summary>Deleting: the port now forwards to another host (someone mapped it after ours ended); it was left alone.</summary>
/// <param name="Holder">The host it forwards to now.</param>
internal sealed record ForwardsElsewhereNote(string Holder) : MappingNote
{
    /// <inheritdoc/>
    public override string Code => "forwards-elsewhere";
}
