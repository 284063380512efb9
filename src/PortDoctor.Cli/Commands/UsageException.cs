namespace PortDoctor.Cli.Commands;

/// <summary>A command-line value is wrong; the message names it and the fix. Exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
