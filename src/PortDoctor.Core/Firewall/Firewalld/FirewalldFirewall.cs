using PortDoctor.Core.Mapping;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Firewall.Firewalld;

/// <summary>
/// The firewalld backend: evaluates the zone that receives the connection (the default zone, or the zone of
/// <see cref="InboundQuery.InterfaceName"/>), resolving service ports with <c>--info-service</c>.
/// Adds with <c>firewall-cmd --zone=Z --add-port=PORT/PROTO</c> — runtime only, so a reboot or
/// <c>firewall-cmd --reload</c> also removes it, and nothing PortDoctor does survives in the permanent
/// configuration. firewalld ports carry no comment, so the journal is the tag: removal runs only for a
/// journaled handle, and only while that port is still listed.
/// </summary>
internal sealed class FirewalldFirewall : CommandFirewall
{
    private const string FirewallCmd = "firewall-cmd";

    /// <summary>Creates the backend.</summary>
    /// <param name="runner">Runs firewall-cmd.</param>
    /// <param name="isPrivileged">True when running as root (changes need it); defaults to <see cref="Environment.IsPrivilegedProcess"/>.</param>
    public FirewalldFirewall(ICommandRunner runner, bool? isPrivileged = null)
        : base(FirewallBackendNames.Firewalld, runner, isPrivileged)
    {
    }

    /// <inheritdoc />
    public override async Task<FirewallState> InspectAsync(CancellationToken cancellationToken)
    {
        var state = FirewallCommand.Linux(FirewallCmd, "--state");
        var stateResult = await Runner.RunAsync(state, cancellationToken).ConfigureAwait(false);
        if (stateResult.Status != CommandStatus.Exited)
        {
            return new FirewallState(Name, false, FirewallCommand.Failure(state, stateResult)!.ToString(), []);
        }

        if (!stateResult.Succeeded)
        {
            return new FirewallState(Name, false, "firewalld is not running", []);
        }

        var (zone, error) = await ReadZoneAsync(null, cancellationToken).ConfigureAwait(false);
        return zone is null
            ? new FirewallState(Name, true, $"firewalld running; {error}", [new FirewallFinding(FirewallFindingCodes.ToolFailed, Text.Of("FirewallFinding.ToolFailed", Name, error!))])
            : new FirewallState(Name, true, $"firewalld running, zone {zone.Name} target {zone.Target}, services: {string.Join(" ", zone.Services)}; ports: {string.Join(" ", zone.Ports)}", []);
    }

    /// <inheritdoc />
    public override async Task<FirewallVerdict> EvaluateInboundAsync(InboundQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (zone, error) = await ReadZoneAsync(query.InterfaceName, cancellationToken).ConfigureAwait(false);
        if (zone is null)
        {
            return FirewallVerdict.Unknown(Name, error!);
        }

        var verdict = FirewalldEvaluator.Evaluate(zone, query, await ResolveServicesAsync(zone, cancellationToken).ConfigureAwait(false));
        return query.InterfaceName is null && zone.Interfaces.Count == 0 && !zone.IsActive
            ? verdict with { Notes = [.. verdict.Notes, $"Zone {zone.Name} is the default zone but no interface is bound to it; name the interface (--interface) to evaluate the zone that receives the connection."] }
            : verdict;
    }

    /// <inheritdoc />
    public override async Task<FirewallChangeResult> AddAllowRuleAsync(InboundQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (zone, error) = await ReadZoneAsync(query.InterfaceName, cancellationToken).ConfigureAwait(false);
        if (zone is null)
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, error!);
        }

        string spec = Spec(query.Protocol, query.Port);
        var handle = new FirewallRuleHandle(Name, query.Protocol, query.Port, zone.Name);
        var verdict = FirewalldEvaluator.Evaluate(zone, query, await ResolveServicesAsync(zone, cancellationToken).ConfigureAwait(false));
        if (AlreadyAllowed(verdict) is { } notNeeded)
        {
            return notNeeded;
        }

        if (verdict.Decision == FirewallDecision.Blocked && verdict.DecidedBy?.Location.EndsWith("rich rule", StringComparison.Ordinal) == true)
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed,
                Text.Of("FirewallChange.Firewalld.RichRuleDenies", verdict.DecidedBy.Text));
        }

        string[] command = [$"--zone={zone.Name}", $"--add-port={spec}"];
        if (await ChangeAsRootAsync(FirewallCmd, command, null, cancellationToken).ConfigureAwait(false) is { } notDone)
        {
            return notDone;
        }

        return new FirewallChangeResult(FirewallChangeStatus.Added,
            WithAnyProgramNote(query, Text.Of("FirewallChange.Firewalld.Opened", zone.Name, "firewall-cmd --reload")), handle);
    }

    /// <inheritdoc />
    public override async Task<FirewallChangeResult> RemoveRuleAsync(FirewallRuleHandle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (!IsZoneName(handle.Locator))
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, Text.Of("FirewallChange.Firewalld.BadZone", handle.Locator), handle);
        }

        var (zone, error) = await ReadZoneAsync(null, cancellationToken, handle.Locator).ConfigureAwait(false);
        if (zone is null)
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, error!, handle);
        }

        string spec = Spec(handle.Protocol, handle.Port);
        if (!zone.Ports.Contains(spec, StringComparer.OrdinalIgnoreCase))
        {
            return new FirewallChangeResult(FirewallChangeStatus.AlreadyGone, Text.Of("FirewallChange.Firewalld.AlreadyClosed", zone.Name), handle);
        }

        string[] command = [$"--zone={zone.Name}", $"--remove-port={spec}"];
        return await ChangeAsRootAsync(FirewallCmd, command, handle, cancellationToken).ConfigureAwait(false)
            ?? new FirewallChangeResult(FirewallChangeStatus.Removed, Text.Of("FirewallChange.Firewalld.Closed", zone.Name), handle);
    }

    private static string Spec(TransportProtocol protocol, int port) => $"{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{protocol.ToCli()}";

    private static bool IsZoneName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private async Task<(FirewalldZone? Zone, Text? Error)> ReadZoneAsync(string? interfaceName, CancellationToken cancellationToken, string? zoneName = null)
    {
        if (zoneName is null && interfaceName is not null)
        {
            var lookup = FirewallCommand.Linux(FirewallCmd, $"--get-zone-of-interface={interfaceName}");
            var lookupResult = await Runner.RunAsync(lookup, cancellationToken).ConfigureAwait(false);
            // Exit code 2 with "no zone": the interface falls into the default zone.
            zoneName = lookupResult.Succeeded && IsZoneName(lookupResult.StandardOutput.Trim()) ? lookupResult.StandardOutput.Trim() : null;
        }

        var request = zoneName is null
            ? FirewallCommand.Linux(FirewallCmd, "--list-all")
            : FirewallCommand.Linux(FirewallCmd, "--list-all", $"--zone={zoneName}");
        var result = await Runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (FirewallCommand.Failure(request, result) is { } failure)
        {
            return (null, failure);
        }

        return FirewalldParser.TryReadZone(result.StandardOutput, out var zone, out string? error) ? (zone, null) : (null, FirewallCommand.Unparsable(request, error));
    }

    private Task<Dictionary<string, IReadOnlyList<string>?>> ResolveServicesAsync(FirewalldZone zone, CancellationToken cancellationToken) =>
        LookUpPortsAsync(
            FirewalldEvaluator.ServicesOf(zone),
            service => IsZoneName(service) ? FirewallCommand.Linux(FirewallCmd, $"--info-service={service}") : null,
            output => FirewalldParser.TryReadServicePorts(output, out var list, out _) ? list : null,
            cancellationToken);
}
