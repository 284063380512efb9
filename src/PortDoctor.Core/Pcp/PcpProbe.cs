using System.Net.Sockets;
using PortDoctor.Core.NatPmp;
using PortDoctor.Core.Net;
using PortDoctor.Protocol.Pcp;

namespace PortDoctor.Core.Pcp;

/// <summary>What the PCP probe found: a PCP server, or a gateway that speaks only NAT-PMP.</summary>
/// <param name="Mapper">A mapper for the server; null when it speaks only NAT-PMP or answered UNSUPP_VERSION.</param>
/// <param name="ServerSpeaksOnlyNatPmp">True when the gateway answered ANNOUNCE with NAT-PMP "unsupported version" (RFC 6887 §9):
/// run the NAT-PMP probe/mapper instead, without waiting.</param>
/// <param name="ResultCode">The ANNOUNCE result code (meaningful when <paramref name="ServerSpeaksOnlyNatPmp"/> is false).</param>
/// <param name="Note">A line for --verbose.</param>
/// <param name="Elapsed">How long the probe took.</param>
internal sealed record PcpProbeResult(PcpPortMapper? Mapper, bool ServerSpeaksOnlyNatPmp, PcpResultCode ResultCode, string Note, TimeSpan Elapsed);

/// <summary>
/// Tells whether a gateway speaks PCP by sending ANNOUNCE (RFC 6887 §14.1) within
/// <see cref="PmpClientOptions.ProbeBudget"/>, so it can run beside UPnP discovery and the NAT-PMP probe.
/// </summary>
internal static class PcpProbe
{
    /// <summary>Probes <paramref name="gateway"/>.</summary>
    /// <param name="gateway">The gateway and this PC's address toward it (IPv4).</param>
    /// <param name="transportFactory">Creates UDP sockets (<see cref="UdpTransport.Create"/> for real use).</param>
    /// <param name="options">Timing and server port (also used by the returned mapper); defaults when null.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>The result, or null when nothing answered within the probe budget, the gateway is unreachable, or it is not IPv4.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<PcpProbeResult?> ProbeAsync(GatewayInfo gateway, Func<AddressFamily, IUdpTransport> transportFactory, PmpClientOptions? options, CancellationToken cancellationToken)
    {
        // Every PCP request header carries this PC's address (RFC 6887 §8.1), so PcpClient refuses an unspecified one.
        if (!PmpProbe.CanProbe(gateway, transportFactory) || gateway.LocalAddress.Equals(System.Net.IPAddress.Any))
        {
            return null;
        }

        options ??= new PmpClientOptions();
        var client = new PcpClient(gateway.Gateway, gateway.LocalAddress, transportFactory, options);
        if (await PmpProbe.AskAsync(client.AnnounceAsync, options, cancellationToken).ConfigureAwait(false) is not (var answer, var elapsed))
        {
            return null;
        }

        if (answer.Response is not { } response)
        {
            return new PcpProbeResult(null, true, default, "PCP: the gateway answered ANNOUNCE with NAT-PMP 'unsupported version': it speaks only NAT-PMP", elapsed);
        }

        if (response.ResultCode == PcpResultCode.UnsupportedVersion)
        {
            return new PcpProbeResult(null, false, response.ResultCode, $"PCP: {gateway.Gateway} answered ANNOUNCE with {response.ResultCode.Describe()}", elapsed);
        }

        var addressClient = new NatPmpClient(gateway.Gateway, gateway.LocalAddress, transportFactory, options);
        return new PcpProbeResult(
            new PcpPortMapper(client, addressClient),
            false,
            response.ResultCode,
            $"PCP: {gateway.Gateway} answered ANNOUNCE with {response.ResultCode.Describe()}",
            elapsed);
    }
}
