using System.Net;
using PortDoctor.Protocol.NatPmp;
using PortDoctor.Protocol.Pcp;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Mapping;

/// <summary>Why a mapping request failed or was not sent. Each failure says which <see cref="MappingFailureKind"/> it is.</summary>
public abstract record MappingFailure : MappingFact
{
    /// <summary>The failure kind the checklist and diagnosis act on.</summary>
    public abstract MappingFailureKind Kind { get; }
}

/// <summary>A failure whose <see cref="MappingFact.Code"/> and <see cref="MappingFailure.Kind"/> follow from its type alone,
/// whatever its values.</summary>
internal abstract record FixedMappingFailure : MappingFailure
{
    private readonly string _code;
    private readonly MappingFailureKind _kind;

    /// <summary>Fixes the code and kind of the derived failure.</summary>
    /// <param name="code">The stable machine name.</param>
    /// <param name="kind">The failure kind.</param>
    private protected FixedMappingFailure(string code, MappingFailureKind kind)
    {
        _code = code;
        _kind = kind;
    }

    /// <inheritdoc/>
    public sealed override string Code => _code;

    /// <inheritdoc/>
    public sealed override MappingFailureKind Kind => _kind;
}

/// <summary>The router did not answer in time.</summary>
/// <param name="Target">Whom it asked: "192.168.1.1:5351" or the UPnP control URL.</param>
/// <param name="ElapsedMs">How long it waited, in milliseconds.</param>
internal sealed record NoAnswerFailure(string Target, long ElapsedMs) : FixedMappingFailure("no-answer", MappingFailureKind.NoAnswer);

/// <summary>The router answered with ICMP "port unreachable": nothing listens for that protocol.</summary>
/// <param name="Target">The address and port asked.</param>
internal sealed record PortUnreachableFailure(string Target) : FixedMappingFailure("port-unreachable", MappingFailureKind.NoAnswer);

/// <summary>The request could not be sent at all (no route, interface down).</summary>
/// <param name="Target">The address and port it was for.</param>
internal sealed record CannotSendFailure(string Target) : FixedMappingFailure("cannot-send", MappingFailureKind.NoAnswer);

/// <summary>The UPnP control URL could not be reached over HTTP.</summary>
/// <param name="ControlUrl">The control URL.</param>
internal sealed record ControlUrlUnreachableFailure(Uri ControlUrl) : FixedMappingFailure("control-url-unreachable", MappingFailureKind.NoAnswer);

/// <summary>A PCP server answered with an error result code.</summary>
/// <param name="Result">The result code (RFC 6887 §7.4).</param>
/// <param name="Operation">What was asked.</param>
internal sealed record PcpRefusedFailure(PcpResultCode Result, MappingOperation Operation) : MappingFailure
{
    /// <inheritdoc/>
    public override string Code => "pcp-result";

    /// <inheritdoc/>
    public override int? ProtocolCode => (int)Result;

    /// <inheritdoc/>
    public override MappingFailureKind Kind => Result switch
    {
        PcpResultCode.NotAuthorized => MappingFailureKind.NotAuthorized,
        PcpResultCode.CannotProvideExternal => MappingFailureKind.ConflictWithOtherHost,
        _ => MappingFailureKind.RouterError,
    };
}

/// <summary>A NAT-PMP gateway answered with an error result code.</summary>
/// <param name="Result">The result code (RFC 6886 §3.5).</param>
/// <param name="Operation">What was asked.</param>
internal sealed record NatPmpRefusedFailure(NatPmpResultCode Result, MappingOperation Operation) : MappingFailure
{
    /// <inheritdoc/>
    public override string Code => "natpmp-result";

    /// <inheritdoc/>
    public override int? ProtocolCode => (int)Result;

    /// <inheritdoc/>
    public override MappingFailureKind Kind =>
        Result == NatPmpResultCode.NotAuthorized ? MappingFailureKind.NotAuthorized : MappingFailureKind.RouterError;
}

/// <summary>A UPnP IGD answered with a SOAP fault.</summary>
/// <param name="Operation">What was asked.</param>
/// <param name="FaultCode">The errorCode as sent; null when the fault had none.</param>
/// <param name="Error">The errorCode as an enum (<see cref="UpnpErrorCode.Unknown"/> when unlisted).</param>
internal sealed record UpnpFaultFailure(MappingOperation Operation, int? FaultCode, UpnpErrorCode Error) : MappingFailure
{
    /// <summary>Builds the failure from a fault.</summary>
    /// <param name="operation">What was asked.</param>
    /// <param name="fault">The router's fault.</param>
    /// <returns>The failure.</returns>
    public static UpnpFaultFailure From(MappingOperation operation, UpnpFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return new UpnpFaultFailure(operation, fault.RawCode, fault.Code);
    }

    /// <inheritdoc/>
    public override string Code => "upnp-fault";

    /// <inheritdoc/>
    public override int? ProtocolCode => FaultCode;

    /// <inheritdoc/>
    public override MappingFailureKind Kind =>
        Error == UpnpErrorCode.ActionNotAuthorized ? MappingFailureKind.NotAuthorized : MappingFailureKind.RouterError;
}

/// <summary>The router's answer could not be used (malformed SOAP, missing arguments).</summary>
/// <param name="Operation">What was asked.</param>
internal sealed record UnusableAnswerFailure(MappingOperation Operation) : FixedMappingFailure("unusable-answer", MappingFailureKind.MalformedAnswer);

/// <summary>The gateway answered PCP with NAT-PMP "unsupported version": it speaks only NAT-PMP (RFC 6887 §9).</summary>
internal sealed record NatPmpOnlyFailure() : FixedMappingFailure("natpmp-only", MappingFailureKind.RouterError);

/// <summary>
/// The mapper does not ask for ports below <paramref name="LowestPort"/>: miniupnpd's default allow rule covers
/// 1024–65535 only, and asked over NAT-PMP/PCP for a port outside it, it leaves the request unanswered for minutes.
/// </summary>
/// <param name="Method">The protocol that was not asked.</param>
/// <param name="LowestPort">The lowest port it asks for.</param>
internal sealed record LowPortFailure(MappingMethod Method, int LowestPort) : FixedMappingFailure("low-port", MappingFailureKind.RouterError);

/// <summary>The router said yes but granted no external port (port 0).</summary>
internal sealed record NoExternalPortFailure() : FixedMappingFailure("no-external-port", MappingFailureKind.MalformedAnswer);

/// <summary>The router said yes but granted lifetime 0, which means no mapping.</summary>
internal sealed record ZeroLifetimeFailure() : FixedMappingFailure("zero-lifetime", MappingFailureKind.ReadBackMismatch);

/// <summary>The answer is for another internal port than asked: a broken answer seen from real routers, never recorded.</summary>
/// <param name="AnsweredPort">The internal port in the answer.</param>
/// <param name="AskedPort">The internal port asked for.</param>
internal sealed record AnswerForOtherPortFailure(int AnsweredPort, int AskedPort) : FixedMappingFailure("answer-for-other-port", MappingFailureKind.MalformedAnswer);

/// <summary>The journal holds no PCP nonce for the mapping, and the server deletes a mapping only with its nonce.</summary>
/// <param name="LeaseSeconds">The lease after which the mapping ends by itself.</param>
internal sealed record NoNonceFailure(long LeaseSeconds) : FixedMappingFailure("no-nonce", MappingFailureKind.RouterError);

/// <summary>The mapping belongs to another LAN address; NAT-PMP/PCP let only that address delete it.</summary>
/// <param name="Owner">The address the mapping forwards to.</param>
/// <param name="Asker">This PC's address toward the gateway.</param>
internal sealed record OtherClientFailure(IPAddress Owner, IPAddress Asker) : FixedMappingFailure("other-client", MappingFailureKind.NotAuthorized);

/// <summary>UPnP 718 (conflict) but the router reports no mapping holding the port: what secure-mode routers answer when
/// the internal client is not the address this PC uses toward the router (miniupnpd secure_mode).</summary>
/// <param name="InternalClient">The internal client asked for.</param>
internal sealed record ConflictWithoutHolderFailure(IPAddress InternalClient) : FixedMappingFailure("conflict-without-holder", MappingFailureKind.RouterError);

/// <summary>The external port is forwarded to another host on the LAN.</summary>
/// <param name="Holder">The other host's address as the router reported it (printable, at most 80 characters).</param>
/// <param name="HolderPort">The port it forwards to.</param>
/// <param name="Description">The mapping's description on the router; empty when none.</param>
internal sealed record HeldByOtherHostFailure(string Holder, int HolderPort, string Description) : FixedMappingFailure("held-by-other-host", MappingFailureKind.ConflictWithOtherHost);

/// <summary>The router accepted the mapping but holds no such mapping when asked back.</summary>
internal sealed record ReadBackMissingFailure() : FixedMappingFailure("read-back-missing", MappingFailureKind.ReadBackMismatch);

/// <summary>The mapping read back differs from what was asked.</summary>
/// <param name="AskedClient">The internal client asked for.</param>
/// <param name="AskedPort">The internal port asked for.</param>
/// <param name="AskedLeaseSeconds">The lease asked for (0 = permanent).</param>
/// <param name="HeldClient">The internal client the router holds (printable).</param>
/// <param name="HeldPort">The internal port the router holds.</param>
/// <param name="HeldLeaseSeconds">The lease the router reports.</param>
internal sealed record ReadBackDiffersFailure(IPAddress AskedClient, int AskedPort, long AskedLeaseSeconds, string HeldClient, int HeldPort, long HeldLeaseSeconds) : FixedMappingFailure("read-back-differs", MappingFailureKind.ReadBackMismatch);
