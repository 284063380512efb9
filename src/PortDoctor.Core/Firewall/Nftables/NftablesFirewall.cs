using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PortDoctor.Core.Firewall.Rules;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Firewall.Nftables;

/// <summary>
/// The nftables backend: reads <c>nft -j list ruleset</c>, evaluates every base chain at the input hook,
/// inserts one tagged accept rule at the top of the chain that blocks, and deletes it by handle after
/// checking that the handle still carries PortDoctor's comment.
/// </summary>
internal sealed partial class NftablesFirewall : CommandFirewall
{
    private const string Nft = "nft";

    /// <summary>Creates the backend.</summary>
    /// <param name="runner">Runs <c>nft</c>.</param>
    /// <param name="isPrivileged">True when running as root (changes need it); defaults to <see cref="Environment.IsPrivilegedProcess"/>.</param>
    public NftablesFirewall(ICommandRunner runner, bool? isPrivileged = null)
        : base(FirewallBackendNames.Nftables, runner, isPrivileged)
    {
    }

    /// <inheritdoc />
    public override Task<FirewallState> InspectAsync(CancellationToken cancellationToken) =>
        InspectSnapshotAsync(ReadAsync(cancellationToken), ruleset =>
        {
            var inputs = ruleset.InputBaseChains.ToList();
            var findings = new List<FirewallFinding>();
            if (ruleset.HasIptablesNftTables)
            {
                findings.Add(new FirewallFinding(FirewallFindingCodes.MixedIptablesNft, Text.Of("FirewallFinding.MixedIptablesNft", "--firewall iptables")));
            }

            string summary = inputs.Count == 0
                ? "nftables: no chain at the input hook, so nftables lets all inbound traffic in"
                : "nftables: " + string.Join("; ", inputs.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Location} (priority {c.Priority}, policy {c.Policy ?? "accept"})")));
            return new FirewallState(Name, inputs.Count > 0, summary, findings);
        });

    /// <inheritdoc />
    public override async Task<FirewallVerdict> EvaluateInboundAsync(InboundQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (ruleset, error) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        return ruleset is null ? FirewallVerdict.Unknown(Name, error!) : Evaluate(ruleset, query).Verdict;
    }

    /// <inheritdoc />
    public override async Task<FirewallChangeResult> AddAllowRuleAsync(InboundQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (ruleset, error) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (ruleset is null)
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, error!);
        }

        var existing = ruleset.Rules.FirstOrDefault(r => FirewallTag.Matches(r.Comment, query.Protocol, query.Port)
            && ruleset.InputBaseChains.Any(c => c.Family == r.Family && c.Table == r.Table));
        if (existing is not null)
        {
            var handle = new FirewallRuleHandle(Name, query.Protocol, query.Port, Locator(existing.Family, existing.Table, existing.Chain, existing.Handle));
            return new FirewallChangeResult(FirewallChangeStatus.AlreadyPresent, Text.Of("FirewallChange.AlreadyPresentAt", string.Create(CultureInfo.InvariantCulture, $"table {existing.Family} {existing.Table} chain {existing.Chain} handle {existing.Handle}")), handle);
        }

        var (verdict, chain) = Evaluate(ruleset, query);
        if (AlreadyAllowed(verdict) is { } notNeeded)
        {
            return notNeeded;
        }

        var info = chain is null ? null : ruleset.Chains.FirstOrDefault(c => c.Key == chain.Key);
        if (info is null || !IsSafeIdentifier(info.Table) || !IsSafeIdentifier(info.Name))
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, Text.Of("FirewallChange.Nftables.NoChain", verdict.Describe()));
        }

        string[] rule = ["insert", "rule", info.Family, info.Table, info.Name, query.Protocol.ToCli(), "dport", Port(query.Port), "counter", "accept", "comment", $"\"{FirewallTag.For(query.Protocol, query.Port)}\""];
        if (!IsPrivileged)
        {
            return FirewallCommand.NeedsRoot(Nft, rule);
        }

        var request = FirewallCommand.Linux(Nft, ["-j", "-e", "-a", .. rule]);
        var result = await Runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (FirewallCommand.Failure(request, result) is { } failure)
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, failure);
        }

        if (!TryReadEchoedHandle(result.StandardOutput, out long newHandle))
        {
            // The rule is in place but we could not learn its handle; a locator without one removes it by its tag.
            newHandle = -1;
        }

        return new FirewallChangeResult(FirewallChangeStatus.Added,
            WithAnyProgramNote(query, Text.Of("FirewallChange.AddedAtTop", info.Location, string.Create(CultureInfo.InvariantCulture, $"{query.Protocol.ToCli()} dport {query.Port} accept"))),
            new FirewallRuleHandle(Name, query.Protocol, query.Port, Locator(info.Family, info.Table, info.Name, newHandle)));
    }

    /// <inheritdoc />
    public override async Task<FirewallChangeResult> RemoveRuleAsync(FirewallRuleHandle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var parts = handle.Locator.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long wanted = -1;
        if (parts.Length == 0)
        {
            // An intent journaled before the add (its chain and handle were not known yet): our tag finds it.
            return await RemoveTaggedEverywhereAsync(handle, cancellationToken).ConfigureAwait(false);
        }

        if (parts.Length is < 3 or > 4 || parts[0] is not ("inet" or "ip" or "ip6") || !IsSafeIdentifier(parts[1]) || !IsSafeIdentifier(parts[2])
            || (parts.Length == 4 && !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out wanted)))
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, Text.Of("FirewallChange.BadLocator", handle.Locator, "FAMILY TABLE CHAIN [HANDLE]"), handle);
        }

        var (ruleset, error) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (ruleset is null)
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, error!, handle);
        }

        var inChain = ruleset.Rules.Where(r => r.Family == parts[0] && r.Table == parts[1] && r.Chain == parts[2]).ToList();
        List<NftRuleInfo> targets;
        if (wanted >= 0)
        {
            var rule = inChain.FirstOrDefault(r => r.Handle == wanted);
            if (rule is null)
            {
                return new FirewallChangeResult(FirewallChangeStatus.AlreadyGone, Text.Of("FirewallChange.AlreadyGone.Handle", wanted), handle);
            }

            if (!FirewallTag.Matches(rule.Comment, handle.Protocol, handle.Port))
            {
                return new FirewallChangeResult(FirewallChangeStatus.NotOurs,
                    Text.Of("FirewallChange.NotOurs.Handle", wanted, $"table {parts[0]} {parts[1]} chain {parts[2]}", rule.Text), handle);
            }

            targets = [rule];
        }
        else
        {
            targets = inChain.Where(r => FirewallTag.Matches(r.Comment, handle.Protocol, handle.Port)).ToList();
            if (targets.Count == 0)
            {
                return new FirewallChangeResult(FirewallChangeStatus.AlreadyGone, Text.Of("FirewallChange.AlreadyGone.TagIn", handle.Tag, $"table {parts[0]} {parts[1]} chain {parts[2]}"), handle);
            }
        }

        return await DeleteAsync(targets, handle, cancellationToken).ConfigureAwait(false);
    }

    private async Task<FirewallChangeResult> RemoveTaggedEverywhereAsync(FirewallRuleHandle handle, CancellationToken cancellationToken)
    {
        var (ruleset, error) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (ruleset is null)
        {
            return new FirewallChangeResult(FirewallChangeStatus.Failed, error!, handle);
        }

        var targets = ruleset.Rules.Where(r => FirewallTag.Matches(r.Comment, handle.Protocol, handle.Port)).ToList();
        if (targets.Count == 0)
        {
            return new FirewallChangeResult(FirewallChangeStatus.AlreadyGone, Text.Of("FirewallChange.AlreadyGone.Tag", handle.Tag), handle);
        }

        return await DeleteAsync(targets.Where(t => IsSafeIdentifier(t.Table) && IsSafeIdentifier(t.Chain)), handle, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes rules by handle, each in its own table and chain; stops at the first failure.</summary>
    private async Task<FirewallChangeResult> DeleteAsync(IEnumerable<NftRuleInfo> targets, FirewallRuleHandle handle, CancellationToken cancellationToken)
    {
        var removedFrom = new List<string>();
        foreach (var target in targets)
        {
            string[] delete = ["delete", "rule", target.Family, target.Table, target.Chain, "handle", target.Handle.ToString(CultureInfo.InvariantCulture)];
            if (await ChangeAsRootAsync(Nft, delete, handle, cancellationToken).ConfigureAwait(false) is { } notDone)
            {
                return notDone;
            }

            removedFrom.Add($"table {target.Family} {target.Table} chain {target.Chain}");
        }

        return new FirewallChangeResult(FirewallChangeStatus.Removed, Text.Of("FirewallChange.RemovedFrom", string.Join(", ", removedFrom.Distinct(StringComparer.Ordinal))), handle);
    }

    private static (FirewallVerdict Verdict, FilterChain? Chain) Evaluate(NftRuleset ruleset, InboundQuery query)
    {
        var (verdict, chain) = ChainEvaluator.EvaluateWithChain(ruleset.Filter, query, FirewallBackendNames.Nftables);
        if (ruleset.HasIptablesNftTables)
        {
            verdict = verdict with { Notes = [.. verdict.Notes, "The ruleset also holds iptables-nft tables; --firewall iptables reads their rules in full."] };
        }

        return (verdict, chain);
    }

    private async Task<(NftRuleset? Ruleset, Text? Error)> ReadAsync(CancellationToken cancellationToken)
    {
        var request = FirewallCommand.Linux(Nft, "-j", "list", "ruleset");
        var result = await Runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (FirewallCommand.Failure(request, result) is { } failure)
        {
            return (null, failure);
        }

        return NftRulesetParser.TryRead(result.StandardOutput, out var ruleset, out string? error) ? (ruleset, null) : (null, FirewallCommand.Unparsable(request, error));
    }

    /// <summary>Finds the handle in nft's <c>--echo --handle</c> JSON answer to an insert/add.</summary>
    internal static bool TryReadEchoedHandle(string output, out long handle)
    {
        handle = -1;
        int start = output.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(output.AsMemory(start));
            if (!document.RootElement.TryGetProperty("nftables", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            foreach (var item in items.EnumerateArray())
            {
                if (NftJson.TryFirst(item, out _, out var command) && command.ValueKind == JsonValueKind.Object
                    && command.TryGetProperty("rule", out var rule) && rule.ValueKind == JsonValueKind.Object
                    && rule.TryGetProperty("handle", out var h) && h.TryGetInt64(out handle))
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    private static string Locator(string family, string table, string chain, long handle) =>
        handle >= 0 ? string.Create(CultureInfo.InvariantCulture, $"{family} {table} {chain} {handle}") : $"{family} {table} {chain}";

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    // nft joins its arguments into one command line and parses it again, so only plain identifiers are passed.
    private static bool IsSafeIdentifier(string name) => SafeIdentifier().IsMatch(name);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeIdentifier();
}
