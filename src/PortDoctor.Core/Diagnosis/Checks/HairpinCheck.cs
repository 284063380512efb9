using System.Net;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;

namespace PortDoctor.Core.Diagnosis.Checks;

/// <summary>
/// Hairpin NAT (NAT loopback): a connection from this PC to its own public address, as a viewer on the same LAN
/// would open it through the published URL; <c>hairpin</c>. Evidence only: many routers lack hairpin NAT.
/// </summary>
internal static class HairpinCheck
{
    /// <summary>Hairpin wait: the router answers a connection to its own outside address at once, or not at all.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Connects to the public address and reports whether the router looped the connection back.</summary>
    /// <param name="f">Where findings go.</param>
    /// <param name="connector">The TCP connect seam.</param>
    /// <param name="options">What to diagnose; only a TCP port is tried.</param>
    /// <param name="listens">True when a program listens on the port (else nothing could accept the connection).</param>
    /// <param name="publicAddress">The address the internet sees; null skips the check.</param>
    /// <param name="publicHost">True when this PC has a global address itself: there is no NAT to loop back.</param>
    /// <param name="cancellationToken">The diagnose budget.</param>
    /// <returns>A task that completes when the check is done.</returns>
    public static async Task RunAsync(FindingList f, ITcpConnector connector, DiagnoseOptions options, bool listens, IPAddress? publicAddress, bool publicHost,
        CancellationToken cancellationToken)
    {
        if (options.Port is not int port || !listens || options.Protocol != TransportProtocol.Tcp || publicAddress is null || publicHost)
        {
            return;
        }

        bool works = await connector.TryConnectAsync(new IPEndPoint(publicAddress, port), ConnectTimeout, cancellationToken).ConfigureAwait(false);
        f.Info(FindingIds.Hairpin, Text.Of("Diag.Hairpin", publicAddress, port, Text.Of(works ? "Diag.Hairpin.Works" : "Diag.Hairpin.Fails")),
            ("hairpin", works ? "true" : "false"));
    }
}
