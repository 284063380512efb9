using System.Net;
using System.Net.Sockets;

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

    public static string With(List<string> notes, string message) =>
        notes.Count == 0 ? message : $"{message} (earlier: {string.Join("; ", notes)})";

    public static string? Notes(List<string> notes) => notes.Count == 0 ? null : string.Join("; ", notes);
}
