using System.Net;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Ports;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Core.Workflows;

/// <summary>The seams a workflow runs over; the CLI wires the real ones, tests wire fakes.</summary>
public sealed class WorkflowContext
{
    /// <summary>Finds the IPv4 gateways (default: <see cref="GatewayLocator.Find"/>).</summary>
    public required Func<IPAddress?, IReadOnlyList<GatewayInfo>> FindGateways { get; init; }

    /// <summary>Tells who listens on a port.</summary>
    public required IPortOwnerLookup PortOwners { get; init; }

    /// <summary>Probes the gateways for UPnP/NAT-PMP/PCP.</summary>
    public required IGatewayProbe GatewayProbe { get; init; }

    /// <summary>Rebuilds mappers from journal records (close/undo).</summary>
    public required IMapperFactory MapperFactory { get; init; }

    /// <summary>The change journal.</summary>
    public required ChangeJournal Journal { get; init; }

    /// <summary>The outside checker; null when none is named (flag, env, config).</summary>
    public ICheckerClient? Checker { get; init; }

    /// <summary>Finds and drives the host firewall; null when the host firewall is not to be looked at.</summary>
    public Firewall.FirewallDetector? Firewall { get; init; }

    /// <summary>The firewall backend named with <c>--firewall</c>, or null to detect it.</summary>
    public string? ForcedFirewall { get; init; }

    /// <summary>Traces the first hops toward the internet (diagnose); null to skip.</summary>
    public Diagnosis.IHopProbe? Hops { get; init; }

    /// <summary>Asks STUN servers for the public address (diagnose); null to skip.</summary>
    public Stun.StunClient? Stun { get; init; }

    /// <summary>Resolves host names (diagnose: the <c>--url</c> host, and the checker's host as the target of the hop
    /// list). Callers pass their own timeout (see <c>Diagnosis/Checks/HostNames.cs</c>).</summary>
    public IHostResolver HostResolver { get; init; } = SystemHostResolver.Instance;

    /// <summary>Opens test TCP connections (diagnose: the hairpin connection to the public address). Callers pass
    /// their own timeout (see <c>Diagnosis/Checks/HairpinCheck.cs</c>).</summary>
    public ITcpConnector TcpConnector { get; init; } = SocketTcpConnector.Instance;

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Receives each checklist step, finding and slow wait as it happens (default: nobody watches).</summary>
    public Progress.IProgressSink Progress { get; init; } = Core.Progress.NullProgressSink.Instance;
}
