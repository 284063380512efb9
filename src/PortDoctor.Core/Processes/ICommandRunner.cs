namespace PortDoctor.Core.Processes;

/// <summary>
/// Runs an external program (nft, iptables-save, ufw, firewall-cmd, powershell.exe) and captures what it
/// printed. The seam that keeps firewall code testable: tests pass a fake that replays recorded output.
/// </summary>
public interface ICommandRunner
{
    /// <summary>Runs <paramref name="request"/> to completion and returns its exit code and output.</summary>
    /// <param name="request">The program, its arguments (never a shell string), optional stdin and the timeout.</param>
    /// <param name="cancellationToken">Cancels the run; the process is killed and the token's exception is rethrown untouched.</param>
    /// <returns>
    /// The result. A program that is not installed gives <see cref="CommandStatus.NotInstalled"/> rather than an
    /// exception; a non-zero exit code is data in <see cref="CommandResult.ExitCode"/>.
    /// </returns>
    /// <exception cref="TimeoutException">The program ran longer than <see cref="CommandRequest.Timeout"/> (it is killed).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken);
}

/// <summary>One program run.</summary>
/// <param name="FileName">The program: a bare name looked up on PATH ("nft") or a full path.</param>
/// <param name="Arguments">The arguments, passed one by one (System.Diagnostics.ProcessStartInfo.ArgumentList), so nothing is shell-parsed.</param>
/// <param name="Timeout">How long the program may run before it is killed; callers pass a named constant saying why.</param>
public sealed record CommandRequest(string FileName, IReadOnlyList<string> Arguments, TimeSpan Timeout)
{
    /// <summary>Text written to the program's standard input (then closed), or null for no input.</summary>
    public string? StandardInput { get; init; }

    /// <summary>
    /// Extra environment variables. Linux firewall tools translate their output (ufw uses gettext), so
    /// callers set LC_ALL=C to read keyword-stable text.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>
    /// What to show instead of the full command line in messages, when that line is unreadable (a PowerShell
    /// -EncodedCommand); null shows the command line.
    /// </summary>
    public string? DisplayText { get; init; }

    /// <summary>The command as one line for messages and logs ("nft -j list ruleset"); arguments with spaces are quoted.</summary>
    /// <returns>The display text; not meant to be executed by a shell.</returns>
    public string ToDisplayString() => DisplayText ?? CommandLineText.Join(FileName, Arguments);
}

/// <summary>Whether the program could be started at all.</summary>
public enum CommandStatus
{
    /// <summary>The program ran and exited; see <see cref="CommandResult.ExitCode"/>.</summary>
    Exited,

    /// <summary>The program does not exist (not installed, or not on PATH).</summary>
    NotInstalled,

    /// <summary>The program exists but the OS refused to start it (permissions, bad format).</summary>
    CannotStart,
}

/// <summary>What a program run produced.</summary>
/// <param name="Status">Whether it ran.</param>
/// <param name="ExitCode">The exit code when <paramref name="Status"/> is <see cref="CommandStatus.Exited"/>; otherwise -1.</param>
/// <param name="StandardOutput">Everything written to stdout (UTF-8).</param>
/// <param name="StandardError">Everything written to stderr (UTF-8), or the start failure's message.</param>
public sealed record CommandResult(CommandStatus Status, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>True when the program ran and exited with code 0.</summary>
    public bool Succeeded => Status == CommandStatus.Exited && ExitCode == 0;

    /// <summary>A result for a program that ran.</summary>
    /// <param name="exitCode">Its exit code.</param>
    /// <param name="stdout">Its standard output.</param>
    /// <param name="stderr">Its standard error.</param>
    /// <returns>The result.</returns>
    public static CommandResult Exit(int exitCode, string stdout, string stderr = "") => new(CommandStatus.Exited, exitCode, stdout, stderr);

    /// <summary>A result for a program that is not installed.</summary>
    /// <param name="message">Why (the OS message).</param>
    /// <returns>The result.</returns>
    public static CommandResult Missing(string message) => new(CommandStatus.NotInstalled, -1, string.Empty, message);
}
