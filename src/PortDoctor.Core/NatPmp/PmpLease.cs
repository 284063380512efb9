using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.NatPmp;

/// <summary>Lease and address conventions shared by the NAT-PMP and PCP mappers.</summary>
internal static class PmpLease
{
    /// <summary>
    /// NAT-PMP and PCP have no permanent mappings (lifetime 0 means delete), so a request for a permanent lease
    /// asks for one week instead: the longest finite lease IGD:2 allows, long enough that the user is not surprised,
    /// short enough that a forgotten mapping goes away. The router may grant less; the record holds what it granted.
    /// </summary>
    public const uint PermanentSubstituteSeconds = 604800;

    /// <summary>Converts a requested lease to whole seconds, never 0 (which would delete).</summary>
    public static uint ToLifetimeSeconds(TimeSpan lease, List<string> notes)
    {
        if (lease == TimeSpan.Zero)
        {
            notes.Add($"NAT-PMP and PCP have no permanent mappings, so one week ({PermanentSubstituteSeconds} s) was asked for; open --keep renews it");
            return PermanentSubstituteSeconds;
        }

        return (uint)Math.Clamp(Math.Ceiling(lease.TotalSeconds), 1, uint.MaxValue);
    }

    /// <summary>True for a usable external IPv4 address: not 0.0.0.0/8, loopback, multicast or broadcast (see shared case c12).</summary>
    public static IPAddress? Usable(IPAddress? address)
    {
        if (address is null || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return null;
        }

        byte first = address.GetAddressBytes()[0];
        return first == 0 || first == 127 || first >= 224 ? null : address;
    }

    /// <summary>
    /// Compares what the router granted with what was asked: lifetime 0 means no mapping (a failure); another
    /// external port or a shorter lease is kept, with a note.
    /// </summary>
    /// <param name="what">The mapping in words, for the failure text.</param>
    /// <param name="askedPort">The external port asked for.</param>
    /// <param name="grantedPort">The external port granted, not 0.</param>
    /// <param name="askedSeconds">The lifetime asked for, in seconds.</param>
    /// <param name="grantedSeconds">The lifetime granted, in seconds.</param>
    /// <param name="notes">Where the notes go.</param>
    /// <returns>The failure, or null when the grant is usable.</returns>
    public static MappingOutcome? CheckGrant(string what, int askedPort, int grantedPort, uint askedSeconds, uint grantedSeconds, List<string> notes)
    {
        if (grantedSeconds == 0)
        {
            return MappingOutcome.Fail(MappingFailureKind.ReadBackMismatch, With(notes, $"the router said yes to {what} but granted lifetime 0 (no mapping)"));
        }

        if (grantedPort != askedPort)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"the router granted external port {grantedPort} instead of {askedPort}"));
        }

        if (grantedSeconds < askedSeconds)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"the router granted a lease of {grantedSeconds} s instead of {askedSeconds} s"));
        }

        return null;
    }

    public static string With(List<string> notes, string message) =>
        notes.Count == 0 ? message : $"{message} (earlier: {string.Join("; ", notes)})";

    public static string? Notes(List<string> notes) => notes.Count == 0 ? null : string.Join("; ", notes);
}
