using PortDoctor.Core.Localization;
using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Firewall.Windows;

/// <summary>
/// The Windows Defender Firewall backend, through the NetSecurity PowerShell module (Windows 8 and later).
/// Builds and runs on every OS; only useful on Windows. Adds rules named "PortDoctor-PORT-PROTO" in the
/// group "PortDoctor" (display name "PortDoctor PORT/PROTO"), and removes only rules in that group.
/// Also reports Security Center firewall products, which need their own exception.
/// </summary>
internal sealed class WindowsDefenderFirewall : CommandFirewall
{
    private readonly Func<string, string> _expandPath;

    /// <summary>Creates the backend.</summary>
    /// <param name="runner">Runs powershell.exe.</param>
    /// <param name="isPrivileged">True when elevated (adding/removing rules needs it); defaults to <see cref="Environment.IsPrivilegedProcess"/>.</param>
    /// <param name="expandPath">Expands %VARIABLES% in program paths; defaults to <see cref="Environment.ExpandEnvironmentVariables"/>.</param>
    public WindowsDefenderFirewall(ICommandRunner runner, bool? isPrivileged = null, Func<string, string>? expandPath = null)
        : base(FirewallBackendNames.WindowsDefender, runner, isPrivileged)
    {
        _expandPath = expandPath ?? Environment.ExpandEnvironmentVariables;
    }

    /// <inheritdoc />
    public override Task<FirewallState> InspectAsync(CancellationToken cancellationToken) =>
        InspectSnapshotAsync(ReadAsync(cancellationToken), snapshot =>
        {
            // Findings do not depend on the port; any valid query yields the profile and product findings.
            var probe = new InboundQuery(Mapping.TransportProtocol.Tcp, 1);
            var active = WindowsFirewallEvaluator.ActiveProfiles(snapshot, probe, out _);
            var findings = WindowsFirewallEvaluator.Evaluate(snapshot, probe, _expandPath).Findings
                .Select(f => f.Code == FirewallFindingCodes.ThirdPartyFirewall
                    ? f with { Message = Text.Of("FirewallFinding.ThirdPartyOwnRules", f.Evidence!["product"]) }
                    : f)
                .ToList();
            bool on = snapshot.Profiles.Any(p => active.Contains(p.Name, StringComparer.OrdinalIgnoreCase) && p.IsEnabled);
            string summary = "Windows Defender Firewall: " + string.Join(", ", snapshot.Profiles.Select(p =>
                $"{p.Name} {(p.IsEnabled ? "on" : "off")}{(active.Contains(p.Name, StringComparer.OrdinalIgnoreCase) ? " (active)" : "")}"));
            return new FirewallState(Name, on, summary, findings);
        });

    /// <inheritdoc />
    public override async Task<FirewallVerdict> EvaluateInboundAsync(InboundQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (snapshot, error) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        return snapshot is null ? FirewallVerdict.Unknown(Name, error!) : WindowsFirewallEvaluator.Evaluate(snapshot, query, _expandPath);
    }

    /// <inheritdoc />
    public override async Task<FirewallChangeResult> AddAllowRuleAsync(InboundQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.ProgramPath is { } path && path.Any(char.IsControl))
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, Text.Of("FirewallChange.Windows.BadProgramPath", "--program"));
        }

        string name = WindowsFirewallScripts.RuleName(query.Protocol, query.Port);
        var handle = new FirewallRuleHandle(Name, query.Protocol, query.Port, name);
        string adminCommand = WindowsFirewallScripts.NewRuleCommand(query.Protocol, query.Port, query.ProgramPath);
        if (!IsPrivileged)
        {
            return new FirewallChangeResult(FirewallChangeStatus.NeedsPrivilege,
                Text.Of("FirewallChange.Windows.NeedsAdmin", adminCommand),
                null, adminCommand);
        }

        var request = WindowsFirewallScripts.Request(WindowsFirewallScripts.Add(query.Protocol, query.Port, query.ProgramPath));
        var result = await Runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (FirewallCommand.Failure(request, result) is { } failure)
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, Text.Of("FirewallChange.FailedWithCommand", failure, adminCommand));
        }

        return result.StandardOutput.Trim() switch
        {
            "added" => new FirewallChangeResult(FirewallChangeStatus.Added, Text.Of("FirewallChange.Windows.Added", WindowsFirewallScripts.DisplayName(query.Protocol, query.Port), query.ToString()), handle),
            "present" => new FirewallChangeResult(FirewallChangeStatus.AlreadyPresent, Text.Of("FirewallChange.AlreadyPresentRule", name), handle),
            "foreign" => new FirewallChangeResult(FirewallChangeStatus.Failed, Text.Of("FirewallChange.Windows.NameTaken", name)),
            var other => new FirewallChangeResult(FirewallChangeStatus.Failed, Text.Of("FirewallChange.Windows.UnexpectedAnswer", FirewallCommand.FirstLine(other), "added")),
        };
    }

    /// <inheritdoc />
    public override async Task<FirewallChangeResult> RemoveRuleAsync(FirewallRuleHandle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        string name = handle.Locator.Length > 0 ? handle.Locator : WindowsFirewallScripts.RuleName(handle.Protocol, handle.Port);
        if (!name.StartsWith("PortDoctor-", StringComparison.Ordinal) || name.Any(char.IsControl))
        {
            return new FirewallChangeResult(FirewallChangeStatus.NotOurs, Text.Of("FirewallChange.Windows.NotOurName", name), handle);
        }

        if (!IsPrivileged)
        {
            string command = WindowsFirewallScripts.RemoveRuleCommand(name);
            return new FirewallChangeResult(FirewallChangeStatus.NeedsPrivilege,
                Text.Of("FirewallChange.Windows.NeedsAdmin", command),
                handle, command);
        }

        var request = WindowsFirewallScripts.Request(WindowsFirewallScripts.Remove(name));
        var result = await Runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (FirewallCommand.Failure(request, result) is { } failure)
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, failure, handle);
        }

        return result.StandardOutput.Trim() switch
        {
            "removed" => new FirewallChangeResult(FirewallChangeStatus.Removed, Text.Of("FirewallChange.RemovedRule", name), handle),
            "gone" => new FirewallChangeResult(FirewallChangeStatus.AlreadyGone, Text.Of("FirewallChange.AlreadyGone"), handle),
            "foreign" => new FirewallChangeResult(FirewallChangeStatus.NotOurs, Text.Of("FirewallChange.Windows.NotInGroup", name), handle),
            var other => new FirewallChangeResult(FirewallChangeStatus.Failed, Text.Of("FirewallChange.Windows.UnexpectedAnswer", FirewallCommand.FirstLine(other), "removed"), handle),
        };
    }

    private async Task<(WindowsFirewallSnapshot? Snapshot, Text? Error)> ReadAsync(CancellationToken cancellationToken)
    {
        var request = WindowsFirewallScripts.Request(WindowsFirewallScripts.Inspect);
        var result = await Runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (FirewallCommand.Failure(request, result) is { } failure)
        {
            return (null, failure);
        }

        return WindowsFirewallParser.TryRead(result.StandardOutput, out var snapshot, out string? error) ? (snapshot, null) : (null, FirewallCommand.Unparsable(request, error));
    }
}
