using PortDoctor.Core.Mapping;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Firewall.Ufw;

/// <summary>
/// The ufw backend: reads <c>ufw status verbose</c>, adds <c>ufw allow PORT/PROTO comment 'portdoctor:PORT/PROTO'</c>
/// (ufw adds the IPv6 twin itself) and removes it with <c>ufw delete allow PORT/PROTO</c> only while the
/// listed rule still carries that comment.
/// </summary>
internal sealed class UfwFirewall : CommandFirewall
{
    private const string Ufw = "ufw";

    /// <summary>Creates the backend.</summary>
    /// <param name="runner">Runs ufw.</param>
    /// <param name="isPrivileged">True when running as root (ufw needs it even to read); defaults to <see cref="Environment.IsPrivilegedProcess"/>.</param>
    public UfwFirewall(ICommandRunner runner, bool? isPrivileged = null)
        : base(FirewallBackendNames.Ufw, runner, isPrivileged)
    {
    }

    /// <inheritdoc />
    public override Task<FirewallState> InspectAsync(CancellationToken cancellationToken) =>
        InspectSnapshotAsync(ReadAsync(cancellationToken), status =>
        {
            string summary = status.Active
                ? $"ufw active, default {status.DefaultIncoming ?? "deny"} (incoming), {status.Rules.Count} rule(s)"
                : "ufw inactive";
            return new FirewallState(Name, status.Active, summary, []);
        });

    /// <inheritdoc />
    public override async Task<FirewallVerdict> EvaluateInboundAsync(InboundQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (status, error) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        return status is null ? FirewallVerdict.Unknown(Name, error!) : UfwEvaluator.Evaluate(status, query, await ResolveApplicationsAsync(status, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public override async Task<FirewallChangeResult> AddAllowRuleAsync(InboundQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (status, error) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (status is null)
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, error!);
        }

        string spec = Spec(query.Protocol, query.Port);
        var handle = new FirewallRuleHandle(Name, query.Protocol, query.Port, spec);
        if (FindOurs(status, handle).Count > 0)
        {
            return new FirewallChangeResult(FirewallChangeStatus.AlreadyPresent, Text.Of("FirewallChange.AlreadyPresentRule", spec), handle);
        }

        var verdict = UfwEvaluator.Evaluate(status, query, await ResolveApplicationsAsync(status, cancellationToken).ConfigureAwait(false));
        if (AlreadyAllowed(verdict) is { } notNeeded)
        {
            return notNeeded;
        }

        // ufw appends new rules; when an earlier user rule blocks the port, the allow must go before it.
        bool blockedByRule = verdict.DecidedBy?.Location.StartsWith("ufw rule ", StringComparison.Ordinal) == true;
        string[] command = blockedByRule
            ? ["insert", "1", "allow", spec, "comment", handle.Tag]
            : ["allow", spec, "comment", handle.Tag];
        if (await ChangeAsRootAsync(Ufw, command, null, cancellationToken).ConfigureAwait(false) is { } notDone)
        {
            return notDone;
        }

        return new FirewallChangeResult(FirewallChangeStatus.Added, WithAnyProgramNote(query, Text.Of("FirewallChange.AddedRule", "allow " + spec, handle.Tag)), handle);
    }

    /// <inheritdoc />
    public override async Task<FirewallChangeResult> RemoveRuleAsync(FirewallRuleHandle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var (status, error) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (status is null)
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, error!, handle);
        }

        string spec = Spec(handle.Protocol, handle.Port);
        if (FindOurs(status, handle).Count == 0)
        {
            return new FirewallChangeResult(FirewallChangeStatus.AlreadyGone, Text.Of("FirewallChange.AlreadyGone"), handle);
        }

        string[] command = ["delete", "allow", spec];
        return await ChangeAsRootAsync(Ufw, command, handle, cancellationToken).ConfigureAwait(false)
            ?? new FirewallChangeResult(FirewallChangeStatus.Removed, Text.Of("FirewallChange.RemovedRule", "allow " + spec), handle);
    }

    private static List<UfwRule> FindOurs(UfwStatus status, FirewallRuleHandle handle) =>
        status.Rules.Where(r => r.Action == "ALLOW" && r.Direction == "IN" && r.To == Spec(handle.Protocol, handle.Port)
            && FirewallTag.Matches(r.Comment, handle.Protocol, handle.Port)).ToList();

    private static string Spec(TransportProtocol protocol, int port) => $"{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{protocol.ToCli()}";

    private Task<Dictionary<string, IReadOnlyList<string>?>> ResolveApplicationsAsync(UfwStatus status, CancellationToken cancellationToken) =>
        LookUpPortsAsync(
            UfwEvaluator.ApplicationsOf(status),
            name => FirewallCommand.Linux(Ufw, "app", "info", name),
            output => UfwStatusParser.TryReadApplicationPorts(output, out var specs) ? specs : null,
            cancellationToken);

    private async Task<(UfwStatus? Status, Text? Error)> ReadAsync(CancellationToken cancellationToken)
    {
        var request = FirewallCommand.Linux(Ufw, "status", "verbose");
        var result = await Runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (FirewallCommand.Failure(request, result) is { } failure)
        {
            return (null, failure);
        }

        return UfwStatusParser.TryRead(result.StandardOutput, out var status, out string? error) ? (status, null) : (null, FirewallCommand.Unparsable(request, error));
    }
}
