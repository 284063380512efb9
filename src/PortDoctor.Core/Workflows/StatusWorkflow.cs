using PortDoctor.Core.Journal;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Reports;

namespace PortDoctor.Core.Workflows;

/// <summary><c>portdoctor status</c>: addresses, routers that answer, and what PortDoctor holds. Read-only.</summary>
public sealed class StatusWorkflow
{
    private readonly WorkflowContext _context;

    /// <summary>Creates the workflow.</summary>
    /// <param name="context">The seams.</param>
    public StatusWorkflow(WorkflowContext context) => _context = context;

    /// <summary>Collects the status.</summary>
    /// <param name="gatewayOverride">The <c>--gateway</c> value, or null.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>The report.</returns>
    /// <exception cref="JournalException">The journal cannot be read.</exception>
    public async Task<StatusReport> RunAsync(System.Net.IPAddress? gatewayOverride, CancellationToken cancellationToken)
    {
        var notes = new List<Text>();
        var held = HeldChanges.Read(_context.Journal);

        var gateways = _context.FindGateways(gatewayOverride);
        if (gateways.Count == 0)
        {
            notes.Add(Text.Of("Network.NoGateway"));
            return new StatusReport(null, null, null, [], null, held, notes, []);
        }

        var gw = gateways[0];
        var routers = new List<RouterStatus>();
        _context.Progress.Waiting(Text.Of("Wait.RouterAll", gw.Gateway));
        var probe = await _context.GatewayProbe.ProbeAllAsync(gateways, cancellationToken).ConfigureAwait(false);
        foreach (var mapper in probe.Mappers)
        {
            var external = probe.Answers.FirstOrDefault(a => a.Mapper == mapper)?.ExternalAddress
                ?? await mapper.GetExternalAddressAsync(cancellationToken).ConfigureAwait(false);
            routers.Add(new RouterStatus(mapper.Method.ToWireName(), mapper.GatewayDescription, external?.ToString()));
        }

        if (routers.Count == 0)
        {
            notes.Add(Text.Of("Status.NoProtocolAnswered"));
        }

        string? publicAddress = null;
        if (_context.Checker is { Endpoint.SupportsAddressLookup: true } checker)
        {
            _context.Progress.Waiting(Text.Of("Wait.PublicAddress", checker.Endpoint.ToString()));
            var mine = await checker.GetMyAddressAsync(cancellationToken).ConfigureAwait(false);
            if (mine.Succeeded)
            {
                publicAddress = mine.Address?.ToString();
            }
            else
            {
                notes.Add(Text.Of("Status.CheckerError", mine.Error!.Problem, mine.Error.Fix));
            }
        }

        return new StatusReport(gw.LocalAddress.ToString(), gw.Gateway.ToString(), gw.InterfaceName, routers, publicAddress, held, notes, probe.Notes);
    }
}
