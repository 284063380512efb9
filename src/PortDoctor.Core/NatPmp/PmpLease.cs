using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.NatPmp;

/// <summary>Lease, address and failure conventions shared by the NAT-PMP and PCP mappers.</summary>
internal static class PmpLease
{
    /// <summary>
    /// NAT-PMP and PCP have no permanent mappings (lifetime 0 means delete), so a request for a permanent lease
    /// asks for one week instead: the longest finite lease IGD:2 allows, long enough that the user is not surprised,
    /// short enough that a forgotten mapping goes away. The router may grant less; the record holds what it granted.
    /// </summary>
    public const uint PermanentSubstituteSeconds = 604800;

    /// <summary>
    /// The lowest port NAT-PMP/PCP requests are sent for. miniupnpd, the daemon behind most NAT-PMP/PCP routers,
    /// ships with an allow rule for 1024–65535 only, and asked over NAT-PMP/PCP for a port outside it, it does not
    /// refuse but leaves the client waiting for minutes; UPnP IGD answers such a request with a fault at once.
    /// </summary>
    public const int LowestPort = 1024;

    /// <summary>Converts a requested lease to whole seconds, never 0 (which would delete).</summary>
    public static uint ToLifetimeSeconds(TimeSpan lease, List<MappingNote> notes)
    {
        if (lease == TimeSpan.Zero)
        {
            notes.Add(new PermanentAskedAsFiniteNote(PermanentSubstituteSeconds));
            return PermanentSubstituteSeconds;
        }

        return (uint)Math.Clamp(Math.Ceiling(lease.TotalSeconds), 1, uint.MaxValue);
    }

    /// <summary>True for a usable external IPv4 address: not 0.0.0.0/8, loopback, multicast or broadcast .</summary>
    public static IPAddress? Usable(IPAddress? address)
    {
        if (address is null || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return null;
        }

        byte first = address.GetAddressBytes()[0];
        return first == 0 || first == 127 || first >= 224 ? null : address;
    }

    /// <summary>The low-port refusal for <paramref name="method"/>, or null when the request may be sent.</summary>
    public static MappingFailure? Declines(MappingMethod method, MappingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.ExternalPort < LowestPort || request.InternalPort < LowestPort ? new LowPortFailure(method, LowestPort) : null;
    }

    /// <summary>
    /// Compares what the router granted with what was asked: lifetime 0 means no mapping (a failure); another
    /// external port or a shorter lease is kept, with a note.
    /// </summary>
    /// <returns>The failure, or null when the grant is usable.</returns>
    public static MappingOutcome? CheckGrant(int askedPort, int grantedPort, uint askedSeconds, uint grantedSeconds, List<MappingNote> notes)
    {
        if (grantedSeconds == 0)
        {
            return MappingOutcome.Fail(new ZeroLifetimeFailure(), notes);
        }

        if (grantedPort != askedPort)
        {
            notes.Add(new ExternalPortChangedNote(grantedPort, askedPort));
        }

        if (grantedSeconds < askedSeconds)
        {
            notes.Add(new ShorterLeaseNote(grantedSeconds, askedSeconds));
        }

        return null;
    }

    /// <summary>The failure for an exchange that ended with <paramref name="ex"/> (a timeout or a socket error).</summary>
    /// <param name="ex">The exception from the client.</param>
    /// <param name="server">The server asked.</param>
    /// <param name="started">A <see cref="Stopwatch.GetTimestamp"/> value from when the request started.</param>
    /// <returns>The failure.</returns>
    public static MappingFailure Unanswered(Exception ex, IPEndPoint server, long started)
    {
        string target = server.ToString();
        return ex switch
        {
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => new PortUnreachableFailure(target),
            SocketException => new CannotSendFailure(target),
            _ => new NoAnswerFailure(target, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds),
        };
    }
}
