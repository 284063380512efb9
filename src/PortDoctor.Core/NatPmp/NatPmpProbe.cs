using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Net;
using PortDoctor.Protocol.NatPmp;

namespace PortDoctor.Core.NatPmp;

/// <summary>What the NAT-PMP probe found: a gateway that answered.</summary>
/// <param name="Mapper">A mapper for the gateway (normal request budget).</param>
/// <param name="ResultCode">The result of the external address request (not Success when, e.g., mapping is switched off or the WAN is down).</param>
/// <param name="ExternalAddress">The usable external address; null on an error result or an unusable address such as 0.0.0.0.</param>
/// <param name="Elapsed">How long the probe took.</param>
internal sealed record NatPmpProbeResult(NatPmpPortMapper Mapper, NatPmpResultCode ResultCode, IPAddress? ExternalAddress, TimeSpan Elapsed);

/// <summary>
/// Tells whether a gateway speaks NAT-PMP by asking for its external address (RFC 6886 §3.2) within
/// <see cref="PmpClientOptions.ProbeBudget"/>, so it can run beside UPnP discovery and PCP.
/// </summary>
internal static class NatPmpProbe
{
    /// <summary>Probes <paramref name="gateway"/>.</summary>
    /// <param name="gateway">The gateway and this PC's address toward it (IPv4).</param>
    /// <param name="transportFactory">Creates UDP sockets (<see cref="UdpTransport.Create"/> for real use).</param>
    /// <param name="options">Timing and server port (also used by the returned mapper); defaults when null.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>The result, or null when nothing answered within the probe budget, the gateway is unreachable, or it is not IPv4.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<NatPmpProbeResult?> ProbeAsync(GatewayInfo gateway, Func<AddressFamily, IUdpTransport> transportFactory, PmpClientOptions? options, CancellationToken cancellationToken)
    {
        if (!PmpProbe.CanProbe(gateway, transportFactory))
        {
            return null;
        }

        options ??= new PmpClientOptions();
        var client = new NatPmpClient(gateway.Gateway, gateway.LocalAddress, transportFactory, options);
        if (await PmpProbe.AskAsync(client.GetExternalAddressAsync, options, cancellationToken).ConfigureAwait(false) is not (var response, var elapsed))
        {
            return null;
        }

        IPAddress? address = response.ResultCode == NatPmpResultCode.Success ? PmpLease.Usable(response.ExternalAddress) : null;
        var mapper = new NatPmpPortMapper(client);
        mapper.RememberExternalAddress(address);
        return new NatPmpProbeResult(mapper, response.ResultCode, address, elapsed);
    }
}
