using Microsoft.Extensions.Time.Testing;
using PortDoctor.Cli.Rendering;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Reports;

namespace PortDoctor.Cli.Tests;

public sealed class ProgressPrinterTests : IDisposable
{
    private static readonly ChecklistStep Port = new("port", StepStatus.AlreadyFine, Text.Of("Open.PortInRange", 8080, 1024));
    private static readonly ChecklistStep Gateway = new("gateway", StepStatus.AlreadyFine, Text.Of("Gateway.Found", "Acme R9", "PCP", "11.0.0.2"));
    private static readonly Text RouterWait = Text.Of("Wait.Router", "192.168.77.1");

    private readonly FakeTimeProvider _time = new();
    private readonly StringWriter _out = new();

    public void Dispose() => _out.Dispose();

    private ProgressPrinter Terminal(int width = 200) =>
        new(_out, _out, new LiveLine(_out, width), UiLanguage.English, verbose: false, _time);

    private ProgressPrinter Redirected() =>
        new(_out, _out, live: null, UiLanguage.English, verbose: false, _time);

    [Fact]
    public void A_step_is_printed_the_moment_it_is_published()
    {
        using var printer = Redirected();
        printer.StepDecided(Port);
        Assert.Equal("[ok]      Port 8080 is in the recommended range (1024–65535).\n".Replace("\n", Environment.NewLine, StringComparison.Ordinal), _out.ToString());
        Assert.True(printer.WasPrinted(Port));
        Assert.False(printer.WasPrinted(Port with { }));
    }

    [Fact]
    public void On_a_terminal_a_wait_shows_nothing_before_half_a_second()
    {
        using var printer = Terminal();
        printer.Waiting(RouterWait);
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal("", _out.ToString());

        printer.StepDecided(Gateway);
        Assert.DoesNotContain('\r', _out.ToString());
    }

    [Fact]
    public void On_a_terminal_a_long_wait_shows_what_it_waits_for_and_the_seconds_then_is_cleared_when_the_step_lands()
    {
        using var printer = Terminal();
        printer.StepDecided(Port);
        int start = _out.ToString().Length;
        printer.Waiting(RouterWait);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        string live = _out.ToString()[start..];
        Assert.Equal("\r[1 s] Asking the router 192.168.77.1 over PCP, NAT-PMP and UPnP …", live);

        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(live, _out.ToString()[start..]); // still 1 s when rounded: nothing rewritten
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        Assert.EndsWith("\r[2 s] Asking the router 192.168.77.1 over PCP, NAT-PMP and UPnP …", _out.ToString(), StringComparison.Ordinal);

        printer.StepDecided(Gateway);
        string after = _out.ToString()[start..];
        string blank = "\r" + new string(' ', "[2 s] Asking the router 192.168.77.1 over PCP, NAT-PMP and UPnP …".Length) + "\r";
        Assert.EndsWith(blank + "[ok]      Router found: Acme R9 (PCP); its external address is 11.0.0.2." + Environment.NewLine, after, StringComparison.Ordinal);

        // The wait is over: time passing shows nothing more.
        int end = _out.ToString().Length;
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(end, _out.ToString().Length);
    }

    [Fact]
    public void Redirected_output_never_gets_a_live_line()
    {
        using var printer = Redirected();
        printer.StepDecided(Port);
        printer.Waiting(RouterWait);
        _time.Advance(TimeSpan.FromSeconds(10));
        printer.StepDecided(Gateway);
        string text = _out.ToString();
        Assert.DoesNotContain('\r', text);
        Assert.DoesNotContain("Asking the router", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Each_new_wait_has_its_own_half_second()
    {
        using var printer = Terminal();
        printer.Waiting(RouterWait);
        _time.Advance(TimeSpan.FromMilliseconds(400));
        printer.Waiting(Text.Of("Wait.Mapping", 8080, "tcp"));
        _time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal("", _out.ToString());
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal("\r[1 s] Asking the router to forward 8080/tcp …", _out.ToString());
    }

    [Fact]
    public void The_live_line_is_cut_to_the_terminal_width_counting_wide_characters_twice()
    {
        var ja = new ProgressPrinter(_out, _out, new LiveLine(_out, 21), UiLanguage.Japanese, verbose: false, _time);
        ja.Waiting(RouterWait);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        string shown = _out.ToString().TrimStart('\r');
        Assert.StartsWith("[1 秒]", shown, StringComparison.Ordinal);
        Assert.True(shown.Sum(LiveLine.Width) <= 20, shown);
        ja.Dispose();
    }

    [Fact]
    public void After_close_a_late_step_is_neither_printed_nor_kept()
    {
        using var printer = Terminal();
        printer.StepDecided(Port);
        printer.Waiting(RouterWait);
        _time.Advance(TimeSpan.FromSeconds(1));
        printer.Close();
        string closed = _out.ToString();
        Assert.EndsWith("\r", closed, StringComparison.Ordinal); // the live line was cleared

        printer.StepDecided(Gateway);
        printer.Waiting(RouterWait);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(closed, _out.ToString());
        Assert.Equal([Port], printer.Steps);
    }

    [Fact]
    public void Under_json_nothing_is_printed_but_the_steps_are_kept()
    {
        using var notes = new StringWriter();
        using var printer = new ProgressPrinter(lines: null, notes, live: null, UiLanguage.English, verbose: false, _time);
        printer.StepDecided(Port);
        printer.Waiting(RouterWait);
        _time.Advance(TimeSpan.FromSeconds(3));
        printer.FindingMade(new Finding("network", Severity.Info, Text.Of("Common.Verbatim", "x"), null, new Dictionary<string, string>()));
        printer.Note(Text.Of("Keep.Summary.Stopped"));

        Assert.Equal("", _out.ToString());
        Assert.Equal([Port], printer.Steps);
        Assert.Single(printer.Findings);
        Assert.Contains("Stopped keeping", notes.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_final_report_after_live_steps_is_byte_for_byte_the_report_printed_at_the_end()
    {
        var report = new CommandReport("open", 8080, [Port, Gateway], Verdict.Unconfirmed, Text.Of("Open.Summary.MappedUnchecked", 8080), ExitCodes.Success);
        using var atTheEnd = new StringWriter();
        ReportRenderer.Write(atTheEnd, report, json: false, verbose: true, UiLanguage.English);

        var printer = new ProgressPrinter(_out, _out, live: null, UiLanguage.English, verbose: true, _time);
        printer.StepDecided(Port);
        printer.StepDecided(Gateway);
        ReportRenderer.Write(_out, report, json: false, verbose: true, UiLanguage.English, printer.WasPrinted);
        printer.Dispose();

        Assert.Equal(atTheEnd.ToString(), _out.ToString());
    }

    [Fact]
    public void A_step_the_workflow_did_not_publish_is_printed_with_the_report()
    {
        var unpublished = new ChecklistStep("keep", StepStatus.Done, Text.Of("Keep.Summary", 1, 0));
        var report = new CommandReport("open", 8080, [Port, unpublished], Verdict.Reverted, Text.Of("Keep.Summary.Stopped"), ExitCodes.Success);
        using var printer = Redirected();
        printer.StepDecided(Port);
        ReportRenderer.Write(_out, report, json: false, verbose: false, UiLanguage.English, printer.WasPrinted);

        var lines = _out.ToString().Split(Environment.NewLine);
        Assert.Single(lines, l => l.Contains("recommended range", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("Kept the mapping", StringComparison.Ordinal));
    }
}
