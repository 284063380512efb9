using System.Net;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Diagnosis;

/// <summary>What the user asked <c>portdoctor diagnose</c> to look at.</summary>
public sealed record DiagnoseOptions
{
    /// <summary>
    /// Overall budget: discovery (up to 3 s), STUN (3 s) and the outside check (checker connect timeout 3 s plus
    /// HTTP) run concurrently, so 12 s covers a slow network while a person still waits for the answer.
    /// </summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(12);

    /// <summary>The port, 1–65535, or null to diagnose the network only.</summary>
    public int? Port { get; init; }

    /// <summary>The protocol of the port.</summary>
    public TransportProtocol Protocol { get; init; } = TransportProtocol.Tcp;

    /// <summary>The URL viewers use (<c>--url</c>), compared with the public address and port (docs/diagnose.md, the URL check).</summary>
    public Uri? Url { get; init; }

    /// <summary>The gateway named with <c>--gateway</c>, or null for the default route's.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>STUN servers to ask for the public address (RFC 8489).</summary>
    public IReadOnlyList<IPEndPoint> StunServers { get; init; } = [];

    /// <summary>The overall time budget.</summary>
    public TimeSpan Budget { get; init; } = DefaultBudget;
}
