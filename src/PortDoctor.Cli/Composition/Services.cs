using PortDoctor.Cli.Commands;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Ports;
using PortDoctor.Core.Reachability;
using PortDoctor.Core.Upnp;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Cli.Composition;

/// <summary>Wires the real seams for one CLI invocation.</summary>
internal static class Services
{
    // One client for the router's HTTP (description and SOAP): no proxy, no redirects, bounded.
    private static readonly Lazy<HttpClient> RouterHttp = new(() => new HttpClient(UpnpHttp.CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan });

    // The checker is on the internet; CheckerClient applies its own per-call timeouts.
    private static readonly Lazy<HttpClient> CheckerHttp = new(() => new HttpClient { Timeout = Timeout.InfiniteTimeSpan });

    public static WorkflowContext CreateContext(Globals globals, string? checkerFlag, Core.Progress.IProgressSink progress)
    {
        var selection = CheckerSelection.Resolve(checkerFlag, Environment.GetEnvironmentVariable,
            CheckerSelection.DefaultConfigFilePath(Environment.GetEnvironmentVariable, OperatingSystem.IsWindows()));
        if (selection.Error is not null)
        {
            throw new UsageException(Core.Localization.Text.Of("Common.Verbatim", selection.Error));
        }

        ICheckerClient? checker = selection.Endpoint is null ? null : new CheckerClient(CheckerHttp.Value, selection.Endpoint);
        return new WorkflowContext
        {
            FindGateways = GatewayLocator.Find,
            PortOwners = PortOwnerLookup.ForCurrentOs(),
            GatewayProbe = new GatewayProbe(UdpTransport.Create, RouterHttp.Value),
            MapperFactory = new MapperFactory(RouterHttp.Value, UdpTransport.Create),
            Journal = CommandRunner.OpenJournal(globals),
            Checker = checker,
            Hops = new Core.Diagnosis.PingHopProbe(),
            Firewall = new Core.Firewall.FirewallDetector(Core.Processes.ProcessCommandRunner.Instance),
            ForcedFirewall = globals.Firewall,
            Stun = new Core.Stun.StunClient(UdpTransport.Create),
            HostResolver = SystemHostResolver.Instance,
            TcpConnector = SocketTcpConnector.Instance,
            Progress = progress,
        };
    }
}
