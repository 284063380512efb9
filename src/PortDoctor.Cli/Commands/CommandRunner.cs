using System.CommandLine;
using System.Net;
using PortDoctor.Cli.Composition;
using PortDoctor.Cli.Rendering;
using PortDoctor.Core.Inputs;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Reports;

namespace PortDoctor.Cli.Commands;

/// <summary>The parsed global options of one invocation.</summary>
internal sealed record Globals(bool Json, bool Verbose, IPAddress? Gateway, TimeSpan? Timeout, string? StateDir, UiLanguage Language, string? Firewall = null);

/// <summary>One run of a command as its body sees it: the globals and where progress goes.</summary>
/// <param name="Globals">The global options.</param>
/// <param name="Progress">Prints each step as it happens and remembers what it printed.</param>
internal sealed record Invocation(Globals Globals, ProgressPrinter Progress);

/// <summary>How a command's run is bounded beyond --timeout.</summary>
/// <param name="HandlesInterrupt">The command stops cleanly on Ctrl+C itself and its report is the answer (<c>open --keep</c>).</param>
/// <param name="TimeoutSlack">Added to --timeout for the hard stop: diagnose's checks end at --timeout and its report still needs writing.</param>
internal sealed record RunOptions(bool HandlesInterrupt = false, TimeSpan TimeoutSlack = default);

/// <summary>
/// Runs every client command the same way: globals, progress printed as it happens, --timeout, Ctrl+C/SIGTERM,
/// usage/environment errors, and the report as text or one JSON document.
/// </summary>
internal static class CommandRunner
{
    /// <summary>
    /// How long a run gets to stop after Ctrl+C before PortDoctor reports and exits anyway: workflows stop at their
    /// next await, and <c>--keep</c> removes its mappings within <see cref="Core.Workflows.KeepWorkflow.CleanupBudget"/> (1.5 s).
    /// </summary>
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync<TReport>(ParseResult parse, Func<Invocation, CancellationToken, Task<TReport>> body, ReportFormat<TReport> format,
        CancellationToken cancellationToken, RunOptions? options = null)
    {
        options ??= new RunOptions();
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        bool json = parse.GetValue(GlobalOptions.Json);
        var language = LanguageOf(parse);
        Globals globals;
        try
        {
            globals = ReadGlobals(parse);
        }
        catch (UsageException ex)
        {
            return WriteFailure(parse, ex, json, language);
        }

        using var interruption = Interruption.Listen();
        using var printer = new ProgressPrinter(json ? null : output, json ? error : output, LiveLineFor(output, json), language, globals.Verbose, TimeProvider.System);
        using var timeout = globals.Timeout is TimeSpan t ? new CancellationTokenSource(t + options.TimeoutSlack) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, interruption.Token);
        try
        {
            var run = body(new Invocation(globals, printer), linked.Token);
            await Task.WhenAny(run, interruption.Requested).ConfigureAwait(false);
            if (!run.IsCompleted)
            {
                await Task.WhenAny(run, Task.Delay(InterruptGrace, CancellationToken.None)).ConfigureAwait(false);
            }

            if (interruption.IsRequested && (!options.HandlesInterrupt || !run.IsCompletedSuccessfully))
            {
                return WriteInterrupted(parse, globals, printer, interruption, json, language);
            }

            var report = await run.ConfigureAwait(false);
            printer.EndWait();
            if (json)
            {
                output.WriteLine(format.ToJson(report));
            }
            else
            {
                format.WriteText(output, report, printer.WasPrinted, globals);
            }

            return format.ExitCode(report);
        }
        catch (Exception ex) when (ex is UsageException or JournalException)
        {
            printer.EndWait();
            return WriteFailure(parse, ex, json, language);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            printer.Close();
            var message = Text.Of("Run.TimedOut", DurationInput.Format(globals.Timeout!.Value));
            InterruptRenderer.Write(output, error, "timeout", message, ExitCodes.NotReachable, printer.Steps, printer.Findings, held: null, _ => "", json, language);
            return ExitCodes.NotReachable;
        }
    }

    /// <summary>The steps so far were printed as they came: add what PortDoctor now holds and how to remove it.</summary>
    private static int WriteInterrupted(ParseResult parse, Globals globals, ProgressPrinter printer, Interruption interruption, bool json, UiLanguage language)
    {
        printer.Close();
        IReadOnlyList<Core.Reports.HeldChange>? held;
        try
        {
            held = Core.Workflows.HeldChanges.Read(OpenJournal(globals));
        }
        catch (JournalException)
        {
            // The run's own journal error (if any) was the thing to say; an unreadable journal cannot list anything.
            held = null;
        }

        InterruptRenderer.Write(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, "interrupted", Text.Of("Run.Interrupted", interruption.SignalName),
            interruption.ExitCode, printer.Steps, printer.Findings, held, port => CloseCommandFor(port, globals.StateDir), json, language);
        return interruption.ExitCode;
    }

    /// <summary>The exact command that removes what PortDoctor holds for <paramref name="port"/>, with the state folder when one was named.</summary>
    internal static string CloseCommandFor(int port, string? stateDir)
    {
        string command = "portdoctor close " + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return stateDir is null ? command : command + " --state-dir " + ShellQuote(stateDir);
    }

    private static string ShellQuote(string value)
    {
        if (value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '\\' or '.' or '_' or '-' or ':' or '+' or ','))
        {
            return value;
        }

        return OperatingSystem.IsWindows() ? "\"" + value + "\"" : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>The live line when stdout is this process's terminal (not redirected, not --json).</summary>
    private static LiveLine? LiveLineFor(TextWriter output, bool json)
    {
        if (json || !ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected)
        {
            return null;
        }

        int width;
        try
        {
            width = Console.WindowWidth;
        }
        catch (IOException)
        {
            width = 80;
        }

        return new LiveLine(output, width > 0 ? width : 80);
    }

    /// <summary>
    /// Reports a bad input (<see cref="UsageException"/>, exit 2) or an unusable journal (<see cref="JournalException"/>,
    /// exit 3) the same way for every command: one line, or a JSON error object with --json.
    /// </summary>
    /// <returns>The exit code to return.</returns>
    public static int WriteFailure(ParseResult parse, Exception failure, bool json, UiLanguage language)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        if (failure is UsageException usage)
        {
            ReportRenderer.WriteError(output, error, "usage", Localizer.Format(usage.Text, json ? UiLanguage.English : language), ExitCodes.Usage, json, language);
            return ExitCodes.Usage;
        }

        ReportRenderer.WriteError(output, error, "environment", failure.Message, ExitCodes.Environment, json, language);
        return ExitCodes.Environment;
    }

    /// <summary>Reads and checks the global options; a wrong value is a <see cref="UsageException"/>.</summary>
    public static Globals ReadGlobals(ParseResult parse)
    {
        IPAddress? gateway = null;
        string? gatewayText = parse.GetValue(GlobalOptions.Gateway);
        if (gatewayText is not null)
        {
            if (!IPAddress.TryParse(gatewayText, out gateway) || gateway.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                throw new UsageException(Text.Of("Input.BadGateway", gatewayText));
            }
        }

        TimeSpan? timeout = null;
        string? timeoutText = parse.GetValue(GlobalOptions.Timeout);
        if (timeoutText is not null)
        {
            if (!DurationInput.TryParse(timeoutText, out var value, out var err) || value == TimeSpan.Zero)
            {
                throw new UsageException(err is null ? Text.Of("Input.TimeoutZero") : Text.Of("Input.BadTimeout", err));
            }

            timeout = value;
        }

        string? lang = parse.GetValue(GlobalOptions.Lang);
        if (lang is not null && !UiLanguages.TryParse(lang, out _))
        {
            throw new UsageException(Text.Of("Input.BadLang", lang));
        }

        return new Globals(parse.GetValue(GlobalOptions.Json), parse.GetValue(GlobalOptions.Verbose), gateway, timeout, parse.GetValue(GlobalOptions.StateDir), LanguageOf(parse), FirewallOf(parse));
    }

    /// <summary>The --firewall backend name, normalised, or null to detect; a name we do not know is a usage error.</summary>
    public static string? FirewallOf(ParseResult parse)
    {
        string? name = parse.GetValue(GlobalOptions.Firewall);
        if (name is null)
        {
            return null;
        }

        return Core.Firewall.FirewallBackendNames.TryNormalize(name, out string normalized)
            ? normalized
            : throw new UsageException(Text.Of("Input.BadFirewall", name));
    }

    /// <summary>The output language: --lang when it names one we speak, else the OS UI language.</summary>
    /// <remarks>Reads the option's first token rather than its value: a <c>--lang</c> given twice or without a value is
    /// a parse error (reported as a usage error), and reading its value would throw before that error could be said.</remarks>
    public static UiLanguage LanguageOf(ParseResult parse)
    {
        var tokens = parse.GetResult(GlobalOptions.Lang)?.Tokens;
        string? first = tokens is { Count: > 0 } ? tokens[0].Value : null;
        return UiLanguages.TryParse(first, out var language) ? language : UiLanguages.FromOs(Environment.GetEnvironmentVariable);
    }

    /// <summary>Opens the journal in the state folder named by the globals.</summary>
    public static ChangeJournal OpenJournal(Globals globals) => new(StateDirectory.Resolve(globals.StateDir));

    /// <summary>Parses the PORT argument or throws a usage error.</summary>
    public static int ParsePort(string? text)
    {
        if (!PortInput.TryParse(text, out int port, out var error))
        {
            throw new UsageException(error!);
        }

        return port;
    }

    /// <summary>Builds the workflow seams for this invocation, its progress going to the printer.</summary>
    public static Core.Workflows.WorkflowContext Context(Invocation run, string? checkerFlag) => Services.CreateContext(run.Globals, checkerFlag, run.Progress);
}
