namespace PortDoctor.Integration.Tests.Harness;

/// <summary>What a finished command produced.</summary>
/// <param name="CommandLine">The command as run, for failure messages.</param>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="StandardOutput">Everything written to stdout.</param>
/// <param name="StandardError">Everything written to stderr.</param>
public sealed record CommandResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>True when the exit code is 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>Returns this result, or throws with the full output when the exit code is not 0.</summary>
    /// <exception cref="InvalidOperationException">The command failed.</exception>
    public CommandResult EnsureSuccess() =>
        Succeeded ? this : throw new InvalidOperationException($"command failed: {this}");

    /// <inheritdoc />
    public override string ToString() =>
        $"`{CommandLine}` exited {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
