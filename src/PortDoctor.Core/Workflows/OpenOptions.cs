using System.Net;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Workflows;

/// <summary>What the user asked <c>portdoctor open</c> to do.</summary>
public sealed record OpenOptions
{
    /// <summary>Default lease: finite so that a lost journal never leaves a permanent hole in the router,
    /// long enough (a day) for a stream or a game evening without <c>--keep</c>.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromHours(24);

    /// <summary>The port, 1–65535; used as both external and internal port.</summary>
    public required int Port { get; init; }

    /// <summary>The protocols to open (TCP, UDP or both).</summary>
    public required IReadOnlyList<TransportProtocol> Protocols { get; init; }

    /// <summary>Requested lease; <see cref="TimeSpan.Zero"/> for permanent.</summary>
    public TimeSpan Lease { get; init; } = DefaultLease;

    /// <summary>Skip the router step (<c>--no-router</c>).</summary>
    public bool NoRouter { get; init; }

    /// <summary>Leave the host firewall alone (<c>--no-firewall</c>).</summary>
    public bool NoFirewall { get; init; }

    /// <summary>The program that should own the port (<c>--program PATH</c>); a different owner is reported.</summary>
    public string? ProgramPath { get; init; }

    /// <summary>Skip the outside check (<c>--no-check</c>).</summary>
    public bool NoCheck { get; init; }

    /// <summary>The gateway named with <c>--gateway</c>, or null to use the default route's.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>Label stored on the router with the mapping.</summary>
    public string Description { get; init; } = "PortDoctor";
}
