using System.Globalization;
using System.Net;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Diagnosis.Checks;

/// <summary>
/// The router: which port-mapping protocols answered, its make and model, its external address and its
/// table entry for the port; <c>gateway</c>, <c>no-gateway</c>, and <c>mapping</c> when the table cannot be read.
/// </summary>
internal static class RouterCheck
{
    /// <summary>What the router said after the probe.</summary>
    /// <param name="Mapper">The preferred protocol that answered; null when none did.</param>
    /// <param name="External">The router's external address; null when unknown or unusable (unspecified, loopback).</param>
    /// <param name="Mapping">The table entry for the port; null when there is none or it could not be read.</param>
    /// <param name="MappingKnown">True when the table was read (only UPnP can list it).</param>
    /// <param name="MappingError">Why reading the table failed; null when it did not fail.</param>
    public sealed record Facts(IPortMapper? Mapper, IPAddress? External, MappingRecord? Mapping, bool MappingKnown, string? MappingError);

    /// <summary>Asks the protocols that answered the probe for the external address and the port's table entry.</summary>
    /// <param name="probe">What the gateway probe found.</param>
    /// <param name="options">What to diagnose.</param>
    /// <param name="cancellationToken">The diagnose budget.</param>
    /// <returns>The facts.</returns>
    public static async Task<Facts> AskAsync(GatewayProbeResult probe, DiagnoseOptions options, CancellationToken cancellationToken)
    {
        var mapper = probe.Mappers.Count > 0 ? probe.Mappers[0] : null;
        if (mapper is null)
        {
            return new Facts(null, null, null, false, null);
        }

        var external = await mapper.GetExternalAddressAsync(cancellationToken).ConfigureAwait(false);
        if (external is not null && AddressClass.Classify(external) is AddressKind.Unspecified or AddressKind.Loopback)
        {
            external = null;
        }

        // Only UPnP can list the router's table; NAT-PMP and PCP cannot tell what another host mapped.
        var lister = probe.Mappers.FirstOrDefault(m => m.CanListMappings);
        if (options.Port is not int port || lister is null)
        {
            return new Facts(mapper, external, null, false, null);
        }

        try
        {
            var mapping = await lister.FindMappingAsync(options.Protocol, port, cancellationToken).ConfigureAwait(false);
            return new Facts(mapper, external, mapping, true, null);
        }
        catch (Exception ex) when (ex is TimeoutException or HttpRequestException or Upnp.UpnpActionException)
        {
            return new Facts(mapper, external, null, false, ex.Message);
        }
    }

    /// <summary>Reports the router, or that none answered.</summary>
    /// <param name="f">Where findings go.</param>
    /// <param name="gw">The gateway and this PC's address.</param>
    /// <param name="options">What was diagnosed.</param>
    /// <param name="probe">What the gateway probe found.</param>
    /// <param name="facts">What <see cref="AskAsync"/> found.</param>
    /// <param name="reachable">True when the outside check reached the port: a silent router is then no fault.</param>
    public static void Report(FindingList f, GatewayInfo gw, DiagnoseOptions options, GatewayProbeResult probe, Facts facts, bool reachable)
    {
        if (facts.Mapper is { } mapper)
        {
            Text routerName = probe.RouterName is { } name ? Text.Of("Common.Verbatim", name) : mapper.GatewayDescription;
            f.Info(FindingIds.Gateway, Text.Of("Diag.Gateway", routerName,
                    string.Join(", ", probe.Mappers.Select(m => m.Method.DisplayName())), (object?)facts.External?.ToString() ?? Text.Of("Common.Unknown")),
                ("router", routerName.ToString()), ("methods", string.Join(",", probe.Mappers.Select(m => m.Method.ToWireName()))), ("externalAddress", facts.External?.ToString() ?? ""));
            if (facts.MappingError is { } why)
            {
                f.Info(FindingIds.Mapping, Text.Of("Diag.MappingUnknown", why));
            }

            return;
        }

        if (NetworkCheck.IsPublicHost(gw))
        {
            // Nothing translates in front of this PC, so no router has to answer.
            return;
        }

        if (reachable)
        {
            f.Info(FindingIds.NoGateway, Text.Of("Diag.NoGatewayButReachable", Math.Round(probe.Elapsed.TotalMilliseconds)));
        }
        else
        {
            var manual = options.Port is int port ? OpenWorkflow.ManualForwarding(gw, port, [options.Protocol]) : Text.Of("Diag.Fix.EnableUpnp", gw.Gateway);
            f.Fault(FindingIds.NoGateway, Text.Of("Diag.NoGateway"), manual, ("gateway", gw.Gateway.ToString()),
                ("probeMs", Math.Round(probe.Elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)));
        }
    }
}
