using PortDoctor.Core.Localization;
using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Firewall;

/// <summary>
/// What every backend shares: it works through the firewall's own tool, run by the command runner, and changes rules
/// only with root or administrator rights; without them it says the command to run instead of trying.
/// </summary>
internal abstract class CommandFirewall : IHostFirewall
{
    /// <summary>
    /// How many named port sets (firewalld services, ufw application profiles) are looked up at most: a zone or rule
    /// list names a handful, and the cap keeps a pathological one from starting hundreds of processes.
    /// </summary>
    private protected const int MaxNamedPortLookups = 32;

    /// <summary>Checks the arguments and sets up the shared state.</summary>
    /// <param name="name">The backend name (<see cref="FirewallBackendNames"/>).</param>
    /// <param name="runner">Runs the firewall tool.</param>
    /// <param name="isPrivileged">True when running as root or elevated; defaults to <see cref="Environment.IsPrivilegedProcess"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="runner"/> is null.</exception>
    private protected CommandFirewall(string name, ICommandRunner runner, bool? isPrivileged)
    {
        ArgumentNullException.ThrowIfNull(runner);
        Name = name;
        Runner = runner;
        IsPrivileged = isPrivileged ?? Environment.IsPrivilegedProcess;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Runs the firewall tool.</summary>
    private protected ICommandRunner Runner { get; }

    /// <summary>True when rule changes may be run (root, or an elevated process on Windows).</summary>
    private protected bool IsPrivileged { get; }

    /// <inheritdoc />
    public abstract Task<FirewallState> InspectAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<FirewallVerdict> EvaluateInboundAsync(InboundQuery query, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<FirewallChangeResult> AddAllowRuleAsync(InboundQuery query, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<FirewallChangeResult> RemoveRuleAsync(FirewallRuleHandle handle, CancellationToken cancellationToken);

    /// <summary>The state of a backend whose tool could not be read: whether it is in force is unknown.</summary>
    /// <param name="error">What went wrong, as a clause.</param>
    /// <returns>The state, with a <see cref="FirewallFindingCodes.ToolFailed"/> finding.</returns>
    private protected FirewallState Unreadable(Text error) =>
        new(Name, null, error.ToString(), [new FirewallFinding(FirewallFindingCodes.ToolFailed, Text.Of("FirewallFinding.ToolFailed", Name, error))]);

    /// <summary>The state from a snapshot of the firewall's rules: described when the tool could be read, else <see cref="Unreadable"/>.</summary>
    /// <typeparam name="T">The snapshot's type.</typeparam>
    /// <param name="read">Reads the snapshot, or why it could not.</param>
    /// <param name="describe">Sums up a snapshot that was read.</param>
    /// <returns>The state.</returns>
    /// <exception cref="TimeoutException">The tool hung past its timeout.</exception>
    private protected async Task<FirewallState> InspectSnapshotAsync<T>(Task<(T? Snapshot, Text? Error)> read, Func<T, FirewallState> describe)
        where T : class
    {
        var (snapshot, error) = await read.ConfigureAwait(false);
        return snapshot is null ? Unreadable(error!) : describe(snapshot);
    }

    /// <summary>Resolves named port sets with one tool run each, at most <see cref="MaxNamedPortLookups"/>; a name the tool
    /// cannot tell (not asked, the run failed, the answer did not parse) maps to null, which the evaluator treats as unknown.</summary>
    /// <param name="names">The names, in the order they matter.</param>
    /// <param name="request">The run that describes one name; null for a name that must not be passed to the tool.</param>
    /// <param name="parse">Reads the ports from the tool's output; null when it cannot.</param>
    /// <param name="cancellationToken">Cancels the tool runs.</param>
    /// <returns>The ports of each name looked up.</returns>
    /// <exception cref="TimeoutException">A run hung past its timeout.</exception>
    private protected async Task<Dictionary<string, IReadOnlyList<string>?>> LookUpPortsAsync(
        IEnumerable<string> names, Func<string, CommandRequest?> request, Func<string, IReadOnlyList<string>?> parse, CancellationToken cancellationToken)
    {
        var ports = new Dictionary<string, IReadOnlyList<string>?>(StringComparer.Ordinal);
        foreach (string name in names.Take(MaxNamedPortLookups))
        {
            if (request(name) is not { } run)
            {
                ports[name] = null;
                continue;
            }

            var result = await Runner.RunAsync(run, cancellationToken).ConfigureAwait(false);
            ports[name] = result.Succeeded ? parse(result.StandardOutput) : null;
        }

        return ports;
    }

    /// <summary>The answer when no rule is needed because the firewall already admits the query; null when it does not.</summary>
    /// <param name="verdict">The verdict for the query.</param>
    /// <returns>A <see cref="FirewallChangeStatus.NotNeeded"/> result naming the rule that admits it, or null.</returns>
    private protected static FirewallChangeResult? AlreadyAllowed(FirewallVerdict verdict) =>
        verdict.Decision == FirewallDecision.Allowed
            ? new FirewallChangeResult(FirewallChangeStatus.NotNeeded, Text.Of("FirewallChange.AllowedBy", verdict.DecidedBy?.ToString() ?? string.Empty))
            : null;

    /// <summary>What a backend says about a rule it added: <paramref name="detail"/>, and for a user who named a program, that the
    /// rule admits the port for every program, since the Linux tools cannot tie a rule to one.</summary>
    /// <param name="query">The query.</param>
    /// <param name="detail">Where the rule is and what it says.</param>
    /// <returns>The sentences.</returns>
    private protected Text WithAnyProgramNote(InboundQuery query, Text detail) =>
        query.ProgramPath is null ? detail : Text.Of("Common.Join", detail, Text.Of("FirewallChange.AnyProgram", Name));

    /// <summary>Runs one rule change with a Linux firewall tool as root; without root, gives the sudo command instead.</summary>
    /// <param name="program">The tool.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="handle">The rule being removed, carried by the result; null when adding.</param>
    /// <param name="cancellationToken">Cancels the tool run.</param>
    /// <returns>Null when the change ran; otherwise why it did not (needs root, or the tool failed).</returns>
    /// <exception cref="TimeoutException">The tool hung past its timeout.</exception>
    private protected async Task<FirewallChangeResult?> ChangeAsRootAsync(string program, string[] arguments, FirewallRuleHandle? handle, CancellationToken cancellationToken)
    {
        if (!IsPrivileged)
        {
            return FirewallCommand.NeedsRoot(program, arguments) with { Handle = handle };
        }

        var request = FirewallCommand.Linux(program, arguments);
        var result = await Runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        return FirewallCommand.Failure(request, result) is { } failure ? new FirewallChangeResult(FirewallChangeStatus.Failed, failure, handle) : null;
    }
}
