using System.Globalization;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Progress;
using PortDoctor.Core.Reports;

namespace PortDoctor.Cli.Rendering;

/// <summary>
/// The CLI's progress sink: prints each checklist step and finding the moment it is decided, keeps them for the end
/// of the run (so the final report does not print them again, and an interrupted run can say what it did), and on a
/// terminal shows what a slow step waits for on a <see cref="LiveLine"/>.
/// </summary>
internal sealed class ProgressPrinter : IProgressSink, IDisposable
{
    /// <summary>A wait shorter than this shows nothing: most steps take milliseconds, and a flicker helps nobody.</summary>
    public static readonly TimeSpan LiveLineDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the elapsed seconds are brought up to date (shown rounded to whole seconds).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);

    private readonly object _gate = new();
    private readonly TextWriter? _lines;
    private readonly TextWriter? _notes;
    private readonly LiveLine? _live;
    private readonly UiLanguage _language;
    private readonly bool _verbose;
    private readonly TimeProvider _time;
    private readonly ITimer? _timer;
    private readonly List<ChecklistStep> _steps = [];
    private readonly List<Finding> _findings = [];
    private readonly HashSet<object> _printed = new(ReferenceEqualityComparer.Instance);
    private Text? _waiting;
    private long _waitingSince;
    private string? _shown;
    private bool _closed;

    /// <summary>Creates the printer.</summary>
    /// <param name="lines">Where steps and findings are printed; null to print none (--json).</param>
    /// <param name="notes">Where --keep's lines go (stderr under --json); null to drop them.</param>
    /// <param name="live">The terminal's live line; null when the output is not a terminal.</param>
    /// <param name="language">The output language.</param>
    /// <param name="verbose">Print the evidence under each step.</param>
    /// <param name="time">The clock behind the live line's delay and elapsed seconds.</param>
    public ProgressPrinter(TextWriter? lines, TextWriter? notes, LiveLine? live, UiLanguage language, bool verbose, TimeProvider time)
    {
        _lines = lines;
        _notes = notes;
        _live = lines is null ? null : live;
        _language = language;
        _verbose = verbose;
        _time = time;
        if (_live is not null)
        {
            _timer = time.CreateTimer(_ => Tick(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The steps published so far, in order.</summary>
    public IReadOnlyList<ChecklistStep> Steps => Snapshot(_steps);

    /// <summary>The findings published so far, in the order found.</summary>
    public IReadOnlyList<Finding> Findings => Snapshot(_findings);

    /// <summary>True when this step or finding was already printed (compared by instance).</summary>
    /// <param name="item">A step or finding of the final report.</param>
    /// <returns>True when printed.</returns>
    public bool WasPrinted(object item)
    {
        lock (_gate)
        {
            return _printed.Contains(item);
        }
    }

    /// <inheritdoc />
    public void StepDecided(ChecklistStep decided) =>
        Publish(decided, _steps, (lines, step) => ReportRenderer.WriteStep(lines, step, _verbose, _language));

    /// <inheritdoc />
    public void FindingMade(Finding finding) =>
        Publish(finding, _findings, (lines, made) => DiagnoseRenderer.WriteFinding(lines, made, _verbose, _language, withFix: true));

    /// <inheritdoc />
    public void Waiting(Text what)
    {
        lock (_gate)
        {
            EndWait();
            if (_closed)
            {
                return;
            }

            _waiting = what;
            _waitingSince = _time.GetTimestamp();
            _timer?.Change(LiveLineDelay, RefreshInterval);
        }
    }

    /// <inheritdoc />
    public void Note(Text line)
    {
        lock (_gate)
        {
            EndWait();
            if (!_closed && _notes is not null)
            {
                _notes.WriteLine(Localizer.Format(line, _language));
                _notes.Flush();
            }
        }
    }

    /// <summary>Ends the wait shown on the live line, if any: the output that follows starts on a clean line.</summary>
    public void EndWait()
    {
        lock (_gate)
        {
            _waiting = null;
            _shown = null;
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _live?.Clear();
        }
    }

    /// <summary>
    /// Stops printing: what a run still publishes after PortDoctor gave up waiting for it (Ctrl+C, --timeout) must not
    /// land in the middle of the final lines. What was published stays in <see cref="Steps"/> and <see cref="Findings"/>.
    /// </summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            EndWait();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Close();
        _timer?.Dispose();
    }

    /// <summary>Keeps a step or finding and prints it once, on a clean line; after <see cref="Close"/> it is dropped.</summary>
    private void Publish<T>(T item, List<T> kept, Action<TextWriter, T> write)
        where T : class
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            kept.Add(item);
            EndWait();
            if (_lines is not null && _printed.Add(item))
            {
                write(_lines, item);
                _lines.Flush();
            }
        }
    }

    private IReadOnlyList<T> Snapshot<T>(List<T> kept)
    {
        lock (_gate)
        {
            return [.. kept];
        }
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (_waiting is null || _live is null)
            {
                return;
            }

            double seconds = _time.GetElapsedTime(_waitingSince).TotalSeconds;
            string elapsed = Math.Round(seconds, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture);
            string text = Localizer.Format(Text.Of("Render.Waiting", _waiting, elapsed), _language);
            if (text != _shown)
            {
                _live.Show(text);
                _shown = text;
            }
        }
    }
}
