using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace PortDoctor.Core.Processes;

/// <summary>
/// Runs programs with <see cref="Process"/>: no shell, arguments through
/// <see cref="ProcessStartInfo.ArgumentList"/>, stdout/stderr captured as UTF-8, the whole process tree
/// killed on timeout or cancellation.
/// </summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
    // Win32 ERROR_FILE_NOT_FOUND / ERROR_PATH_NOT_FOUND, and errno ENOENT (2) on Unix: the program is absent.
    private const int FileNotFound = 2;
    private const int PathNotFound = 3;

    /// <summary>A runner shared by callers that need no configuration.</summary>
    public static ProcessCommandRunner Instance { get; } = new();

    /// <inheritdoc />
    public async Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Timeout, "The command timeout must be positive.");
        }

        var startInfo = new ProcessStartInfo(request.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = request.StandardInput is not null,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            CreateNoWindow = true,
        };
        foreach (var argument in request.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (request.Environment is not null)
        {
            foreach (var (name, value) in request.Environment)
            {
                startInfo.Environment[name] = value;
            }
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex) when (ex.NativeErrorCode is FileNotFound or PathNotFound)
        {
            return CommandResult.Missing($"{request.FileName}: {ex.Message}");
        }
        catch (Win32Exception ex)
        {
            return new CommandResult(CommandStatus.CannotStart, -1, string.Empty, $"{request.FileName}: {ex.Message}");
        }

        using var timeout = new CancellationTokenSource(request.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(linked.Token);
            var stderr = process.StandardError.ReadToEndAsync(linked.Token);
            if (request.StandardInput is not null)
            {
                await process.StandardInput.WriteAsync(request.StandardInput.AsMemory(), linked.Token).ConfigureAwait(false);
                process.StandardInput.Close();
            }

            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            return CommandResult.Exit(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            Kill(process);
            throw new TimeoutException($"{request.ToDisplayString()} did not finish within {request.Timeout.TotalSeconds:0.#} s and was stopped.");
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested(); // surface the caller's own token, not the linked one
            throw;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
        catch (Win32Exception)
        {
            // Nothing more we can do; the caller is told about the timeout/cancellation anyway.
        }
    }
}
