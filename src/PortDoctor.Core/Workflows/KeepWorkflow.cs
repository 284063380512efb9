using System.Globalization;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.NatPmp;
using PortDoctor.Core.Reports;

namespace PortDoctor.Core.Workflows;

/// <summary>
/// <c>portdoctor open PORT --keep</c>: runs <c>open</c>, then stays in the foreground holding the mappings it made:
/// renews each at half its lease, asks the router every <see cref="CheckInterval"/> whether it still holds it
/// (NAT-PMP/PCP: an epoch that went back, RFC 6886 §3.6 / RFC 6887 §8.5; UPnP: GetSpecificPortMappingEntry no longer
/// finds it) and re-creates it (journaled) when the router lost it, and removes it when cancelled (Ctrl+C, SIGTERM).
/// </summary>
public sealed class KeepWorkflow
{
    /// <summary>
    /// The lease asked for under <c>--keep</c> unless <c>--lease</c> says otherwise: renewals at half of it come every
    /// 5 minutes, and a crash leaves a mapping behind for at most 10 minutes.
    /// </summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often the router is asked whether it still holds the mapping: one small request (a UDP round trip, or one
    /// SOAP call) every 15 s costs nothing, and a router that rebooted has its mapping back within 15 s of answering.
    /// </summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(15);

    /// <summary>Delay before retrying a renewal or re-creation that failed (the router may still be booting).</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Time allowed for removing the mappings after cancellation: one request per mapping on the LAN takes
    /// milliseconds; 1.5 s stays inside the 2 s the CLI waits after Ctrl+C/SIGTERM before it reports and exits anyway.
    /// </summary>
    public static readonly TimeSpan CleanupBudget = TimeSpan.FromSeconds(1.5);

    /// <summary>Budget of one "is it still there" question: a probe-sized budget, the router is on the LAN.</summary>
    public static readonly TimeSpan CheckBudget = PmpClientOptions.DefaultProbeBudget;

    private readonly WorkflowContext _context;
    private readonly Action<Text> _progress;
    private readonly Action<CommandReport>? _opened;

    /// <summary>Creates the workflow; its renewal, loss, re-creation and removal lines go to <see cref="WorkflowContext.Progress"/> as notes.</summary>
    /// <param name="context">The seams; <see cref="WorkflowContext.Time"/> drives renewals and checks.</param>
    /// <param name="opened">Receives the <c>open</c> report before keeping starts; may be null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    public KeepWorkflow(WorkflowContext context, Action<CommandReport>? opened = null)
        : this(context, (context ?? throw new ArgumentNullException(nameof(context))).Progress.Note, opened)
    {
    }

    /// <summary>Creates the workflow.</summary>
    /// <param name="context">The seams; <see cref="WorkflowContext.Time"/> drives renewals and checks.</param>
    /// <param name="progress">Receives one line per renewal, loss, re-creation and removal.</param>
    /// <param name="opened">Receives the <c>open</c> report before keeping starts; may be null.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    public KeepWorkflow(WorkflowContext context, Action<Text> progress, Action<CommandReport>? opened = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(progress);
        _context = context;
        _progress = progress;
        _opened = opened;
    }

    /// <summary>Opens the port and keeps the mappings until <paramref name="stop"/> is cancelled, then removes them.</summary>
    /// <param name="options">What to open (its lease is what each renewal asks for).</param>
    /// <param name="stop">Ends keeping; the mappings are then removed within <see cref="CleanupBudget"/>.</param>
    /// <returns>The open checklist plus the keep summary and the removal steps; exit 0 when every mapping was removed
    /// cleanly, the open report itself when nothing was mapped.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="JournalException">The journal cannot be read or written.</exception>
    public async Task<CommandReport> RunAsync(OpenOptions options, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(options);
        var before = new HashSet<string>(_context.Journal.Outstanding().Select(e => e.Id), StringComparer.Ordinal);
        CommandReport open;
        try
        {
            open = await new OpenWorkflow(_context).RunAsync(options, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            var reverted = await RemoveAsync(NewMappings(before, options.Port), [], 0, 0).ConfigureAwait(false);
            return reverted;
        }

        var kept = NewMappings(before, options.Port);
        if (kept.Count == 0 || options.NoRouter)
        {
            return open;
        }

        _opened?.Invoke(open);
        int renewals = 0, recreations = 0;
        try
        {
            foreach (var k in kept)
            {
                _progress(Text.Of("Keep.Started", Label(k.Record), k.Record.Method.DisplayName(), OpenWorkflow.LeaseText(k.Record.Lease)));
                await CheckAsync(k, stop).ConfigureAwait(false); // sets the epoch baseline
            }

            while (true)
            {
                DateTimeOffset now = _context.Time.GetUtcNow();
                DateTimeOffset next = kept.Select(k => k.NextRenewal).Append(now + CheckInterval).Min();
                if (next > now)
                {
                    await Task.Delay(next - now, _context.Time, stop).ConfigureAwait(false);
                }

                now = _context.Time.GetUtcNow();
                foreach (var k in kept)
                {
                    bool lost = await CheckAsync(k, stop).ConfigureAwait(false);
                    if (lost)
                    {
                        if (await RecreateAsync(k, options, stop).ConfigureAwait(false))
                        {
                            recreations++;
                        }
                    }
                    else if (k.NextRenewal <= now)
                    {
                        if (await RenewAsync(k, stop).ConfigureAwait(false))
                        {
                            renewals++;
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C / SIGTERM: fall through to removal.
        }

        var removal = await RemoveAsync(kept, open.Steps, renewals, recreations).ConfigureAwait(false);
        return removal with { Command = open.Command, Port = open.Port };
    }

    private List<Kept> NewMappings(HashSet<string> before, int port)
    {
        var kept = new List<Kept>();
        foreach (var entry in _context.Journal.Outstanding())
        {
            if (before.Contains(entry.Id) || entry.Op != JournalOp.Done || entry.Change.Kind != JournalMapping.Kind || entry.Change.ExternalPort != port)
            {
                continue;
            }

            if (JournalMapping.TryToRecord(entry.Change, out var record, out _) && _context.MapperFactory.ForRecord(record!) is { } mapper)
            {
                kept.Add(new Kept(entry.Id, record!, mapper, _context.Time));
            }
        }

        return kept;
    }

    /// <summary>Asks the router whether it still holds the mapping. True when it lost it (a reboot).</summary>
    private async Task<bool> CheckAsync(Kept k, CancellationToken stop)
    {
        PresenceCheck check = await k.Mapper.CheckPresenceAsync(k.Record, CheckBudget, stop).ConfigureAwait(false);
        if (check.Presence == MappingPresence.NoAnswer)
        {
            if (!k.Unreachable)
            {
                _progress(Text.Of("Keep.RouterSilent", Label(k.Record), k.Record.Method.DisplayName(),
                    check.Why is { } why ? MappingTexts.Reason(why) : Text.Of("Common.Unknown")));
            }

            k.Unreachable = true;
            return false;
        }

        bool lost = check.Presence == MappingPresence.Lost;

        // A router that stopped answering and came back may have restarted without its epoch showing it: re-create.
        if (k.Unreachable)
        {
            k.Unreachable = false;
            lost = true;
        }

        if (lost)
        {
            _progress(Text.Of("Keep.Lost", Label(k.Record), k.Record.Method.DisplayName()));
        }

        return lost;
    }

    private async Task<bool> RenewAsync(Kept k, CancellationToken stop)
    {
        MappingOutcome outcome = await k.Mapper.RenewAsync(k.Record, Request(k.Record, k.Record.Lease), stop).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            k.NextRenewal = _context.Time.GetUtcNow() + RetryDelay;
            _progress(Text.Of("Keep.RenewFailed", Label(k.Record), MappingTexts.Failure(outcome), DurationText(RetryDelay)));
            return false;
        }

        k.Update(outcome.Record!);
        _progress(Text.Of("Keep.Renewed", Label(k.Record), OpenWorkflow.LeaseText(k.Record.Lease), k.Record.Method.DisplayName()));
        return true;
    }

    private async Task<bool> RecreateAsync(Kept k, OpenOptions options, CancellationToken stop)
    {
        var request = Request(k.Record, options.Lease);
        var (id, outcome, _) = await JournalMapping.MapAsync(_context.Journal, k.Mapper, request, k.Record, stop).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            k.Unreachable = true; // ask again at the next check, and re-create then
            _progress(Text.Of("Keep.RecreateFailed", Label(k.Record), MappingTexts.Failure(outcome), DurationText(CheckInterval)));
            return false;
        }

        _context.Journal.MarkReverted(k.EntryId, JournalMapping.FromRecord(k.Record)); // the router lost the old one
        k.EntryId = id;
        k.Update(outcome.Record!);
        _progress(Text.Of("Keep.Recreated", Label(k.Record), k.Record.InternalClient, k.Record.InternalPort, k.Record.Method.DisplayName()));
        return true;
    }

    private async Task<CommandReport> RemoveAsync(List<Kept> kept, IReadOnlyList<ChecklistStep> openSteps, int renewals, int recreations)
    {
        var steps = new List<ChecklistStep>(openSteps)
        {
            new("keep", StepStatus.Done, Text.Of("Keep.Summary", renewals, recreations),
                OpenWorkflow.Evidence(("renewals", renewals.ToString(CultureInfo.InvariantCulture)), ("recreations", recreations.ToString(CultureInfo.InvariantCulture)))),
        };
        int failures = 0;
        using var cleanup = new CancellationTokenSource(CleanupBudget, _context.Time);
        foreach (var k in kept)
        {
            string id = "revert.mapping." + k.Record.Protocol.ToCli() + "." + k.Record.ExternalPort.ToString(CultureInfo.InvariantCulture);
            MappingOutcome outcome;
            try
            {
                outcome = await k.Mapper.UnmapAsync(k.Record, cleanup.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                outcome = MappingOutcome.Fail(new NoAnswerFailure(k.Record.Gateway.ToString(), (long)CleanupBudget.TotalMilliseconds));
            }

            if (outcome.Succeeded)
            {
                _context.Journal.MarkReverted(k.EntryId, JournalMapping.FromRecord(k.Record));
                _progress(Text.Of("Keep.Removed", Label(k.Record), k.Record.Method.DisplayName()));
                steps.Add(new ChecklistStep(id, StepStatus.Done, Text.Of("Close.Removed", Label(k.Record), k.Record.InternalClient, k.Record.InternalPort, k.Record.Method.DisplayName(),
                    (object?)MappingTexts.NotesSentence(outcome.Notes) ?? string.Empty)));
            }
            else
            {
                failures++;
                steps.Add(new ChecklistStep(id, StepStatus.Failed, Text.Of("Close.RemoveFailed", Label(k.Record), k.Record.Method.DisplayName(), k.Record.Gateway, MappingTexts.Failure(outcome))));
            }
        }

        return new CommandReport("open", kept.Count > 0 ? kept[0].Record.ExternalPort : 0, steps,
            failures == 0 ? Verdict.Reverted : Verdict.RevertFailed,
            failures == 0 ? Text.Of("Keep.Summary.Stopped") : Text.Of("Close.Summary.Failures", failures),
            failures == 0 ? ExitCodes.Success : ExitCodes.NotReachable);
    }

    private static MappingRequest Request(MappingRecord record, TimeSpan lease) =>
        new(record.Protocol, record.ExternalPort, record.InternalClient, record.InternalPort, lease, "PortDoctor");

    private static string Label(MappingRecord record) =>
        string.Create(CultureInfo.InvariantCulture, $"{record.ExternalPort}/{record.Protocol.ToCli()}");

    private static Text DurationText(TimeSpan value) => Text.Of("Common.Verbatim", Inputs.DurationInput.Format(value));

    /// <summary>One mapping being kept.</summary>
    private sealed class Kept
    {
        private readonly TimeProvider _time;

        public Kept(string entryId, MappingRecord record, IPortMapper mapper, TimeProvider time)
        {
            EntryId = entryId;
            Mapper = mapper;
            _time = time;
            Record = record;
            NextRenewal = NextFor(record);
        }

        public string EntryId { get; set; }

        public IPortMapper Mapper { get; }

        public MappingRecord Record { get; private set; }

        public DateTimeOffset NextRenewal { get; set; }

        public bool Unreachable { get; set; }

        public void Update(MappingRecord record)
        {
            Record = record;
            NextRenewal = NextFor(record);
        }

        // Half the lease (RFC 6886 §3.3 and RFC 6887 §11.2.1 suggest renewing at half); a permanent one is never renewed.
        private DateTimeOffset NextFor(MappingRecord record) =>
            record.Lease <= TimeSpan.Zero ? DateTimeOffset.MaxValue : _time.GetUtcNow() + (record.Lease / 2);
    }
}
