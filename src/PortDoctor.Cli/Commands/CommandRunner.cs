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

/// <summary>Runs a command body with the shared handling: globals, --timeout, usage/environment errors, rendering.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(ParseResult parse, Func<Globals, CancellationToken, Task<CommandReport>> body,
        CancellationToken cancellationToken)
    {
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

        using var timeout = globals.Timeout is TimeSpan t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var report = await body(globals, linked.Token).ConfigureAwait(false);
            ReportRenderer.Write(output, report, json, globals.Verbose, language);
            return report.ExitCode;
        }
        catch (Exception ex) when (ex is UsageException or JournalException)
        {
            return WriteFailure(parse, ex, json, language);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var message = Text.Of("Run.TimedOut", DurationInput.Format(globals.Timeout!.Value));
            ReportRenderer.WriteError(output, error, "timeout", Localizer.Format(message, json ? UiLanguage.English : language), ExitCodes.NotReachable, json, language);
            return ExitCodes.NotReachable;
        }
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
    public static UiLanguage LanguageOf(ParseResult parse) =>
        UiLanguages.TryParse(parse.GetValue(GlobalOptions.Lang), out var language) ? language : UiLanguages.FromOs(Environment.GetEnvironmentVariable);

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

    /// <summary>Builds the workflow seams for this invocation.</summary>
    public static Core.Workflows.WorkflowContext Context(Globals globals, string? checkerFlag) => Services.CreateContext(globals, checkerFlag);
}
