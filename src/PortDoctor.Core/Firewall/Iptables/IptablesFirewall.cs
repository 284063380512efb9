using System.Globalization;
using PortDoctor.Core.Firewall.Rules;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Firewall.Iptables;

/// <summary>
/// The iptables backend (iptables-nft or iptables-legacy, whichever <c>iptables</c> is): reads
/// <c>iptables-save -t filter</c> (<c>ip6tables-save</c> for IPv6), evaluates INPUT, inserts one tagged
/// ACCEPT rule at position 1 and deletes exactly that rule spec.
/// </summary>
internal sealed class IptablesFirewall : CommandFirewall
{

    /// <summary>Creates the backend.</summary>
    /// <param name="runner">Runs iptables-save and iptables.</param>
    /// <param name="isPrivileged">True when running as root; defaults to <see cref="Environment.IsPrivilegedProcess"/>.</param>
    public IptablesFirewall(ICommandRunner runner, bool? isPrivileged = null)
        : base(FirewallBackendNames.Iptables, runner, isPrivileged)
    {
    }

    /// <inheritdoc />
    public override Task<FirewallState> InspectAsync(CancellationToken cancellationToken) =>
        InspectSnapshotAsync(ReadAsync(IpVersion.IPv4, cancellationToken), ruleset =>
        {
            int inputRules = ruleset.Rules.Count(r => r.Chain == "INPUT");
            bool active = string.Equals(ruleset.InputPolicy, "drop", StringComparison.Ordinal) || inputRules > 0;
            string variant = ruleset.Variant switch { IptablesVariant.Nft => "iptables-nft", IptablesVariant.Legacy => "iptables-legacy", _ => "iptables" };
            var findings = ruleset.Warnings.Select(w => new FirewallFinding(FirewallFindingCodes.LegacyTablesPresent, Text.Of("FirewallFinding.ParserWarning", w))).ToList();
            return new FirewallState(Name, active,
                string.Create(CultureInfo.InvariantCulture, $"{variant}: filter INPUT policy {(ruleset.InputPolicy ?? "accept").ToUpperInvariant()}, {inputRules} rule(s)"), findings);
        });

    /// <inheritdoc />
    public override async Task<FirewallVerdict> EvaluateInboundAsync(InboundQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (ruleset, error) = await ReadAsync(query.IpVersion, cancellationToken).ConfigureAwait(false);
        return ruleset is null ? FirewallVerdict.Unknown(Name, error!) : Evaluate(ruleset, query);
    }

    /// <inheritdoc />
    public override async Task<FirewallChangeResult> AddAllowRuleAsync(InboundQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (ruleset, error) = await ReadAsync(query.IpVersion, cancellationToken).ConfigureAwait(false);
        if (ruleset is null)
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, error!);
        }

        var handle = new FirewallRuleHandle(Name, query.Protocol, query.Port, Locator(query.IpVersion));
        if (ruleset.Rules.Any(r => r.Chain == "INPUT" && FirewallTag.Matches(r.Comment, query.Protocol, query.Port)))
        {
            return new FirewallChangeResult(FirewallChangeStatus.AlreadyPresent, Text.Of("FirewallChange.AlreadyPresentIn", "INPUT"), handle);
        }

        var verdict = Evaluate(ruleset, query);
        if (AlreadyAllowed(verdict) is { } notNeeded)
        {
            return notNeeded;
        }

        string tool = Tool(query.IpVersion);
        string[] insert = ["-I", "INPUT", "1", .. Spec(query.Protocol, query.Port)];
        if (await ChangeAsRootAsync(tool, insert, null, cancellationToken).ConfigureAwait(false) is { } notDone)
        {
            return notDone;
        }

        return new FirewallChangeResult(FirewallChangeStatus.Added, WithAnyProgramNote(query, Text.Of("FirewallChange.AddedAtTop", "INPUT", string.Create(CultureInfo.InvariantCulture, $"-p {query.Protocol.ToCli()} --dport {query.Port} -j ACCEPT"))), handle);
    }

    /// <inheritdoc />
    public override async Task<FirewallChangeResult> RemoveRuleAsync(FirewallRuleHandle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var version = handle.Locator == Locator(IpVersion.IPv6) ? IpVersion.IPv6 : IpVersion.IPv4;
        var (ruleset, error) = await ReadAsync(version, cancellationToken).ConfigureAwait(false);
        if (ruleset is null)
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, error!, handle);
        }

        if (!ruleset.Rules.Any(r => r.Chain == "INPUT" && FirewallTag.Matches(r.Comment, handle.Protocol, handle.Port)))
        {
            return new FirewallChangeResult(FirewallChangeStatus.AlreadyGone, Text.Of("FirewallChange.AlreadyGone"), handle);
        }

        // -D with the full spec, comment included, deletes only a rule that carries our tag.
        string tool = Tool(version);
        string[] delete = ["-D", "INPUT", .. Spec(handle.Protocol, handle.Port)];
        return await ChangeAsRootAsync(tool, delete, handle, cancellationToken).ConfigureAwait(false)
            ?? new FirewallChangeResult(FirewallChangeStatus.Removed, Text.Of("FirewallChange.RemovedFrom", tool + " INPUT"), handle);
    }

    /// <summary>The rule spec after "-I INPUT 1" / "-D INPUT": protocol, port, our comment, ACCEPT.</summary>
    internal static string[] Spec(TransportProtocol protocol, int port) =>
        ["-p", protocol.ToCli(), "--dport", port.ToString(CultureInfo.InvariantCulture), "-m", "comment", "--comment", FirewallTag.For(protocol, port), "-j", "ACCEPT"];

    private static string Tool(IpVersion version) => version == IpVersion.IPv4 ? "iptables" : "ip6tables";

    private static string Locator(IpVersion version) => version == IpVersion.IPv4 ? "INPUT" : "INPUT ipv6";

    private FirewallVerdict Evaluate(IptablesRuleset ruleset, InboundQuery query)
    {
        if (!ruleset.HasFilterTable)
        {
            return FirewallVerdict.Allowed(Name, new FirewallRuleReference("iptables", "no filter table is loaded"));
        }

        var verdict = ChainEvaluator.Evaluate(ruleset.Filter, query, Name);
        return ruleset.Warnings.Count == 0 ? verdict : verdict with { Notes = [.. verdict.Notes, .. ruleset.Warnings] };
    }

    private async Task<(IptablesRuleset? Ruleset, Text? Error)> ReadAsync(IpVersion version, CancellationToken cancellationToken)
    {
        var request = FirewallCommand.Linux(version == IpVersion.IPv4 ? "iptables-save" : "ip6tables-save", "-t", "filter");
        var result = await Runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (FirewallCommand.Failure(request, result) is { } failure)
        {
            return (null, failure);
        }

        return IptablesSaveParser.TryRead(result.StandardOutput, version, out var ruleset, out string? error) ? (ruleset, null) : (null, FirewallCommand.Unparsable(request, error));
    }
}
