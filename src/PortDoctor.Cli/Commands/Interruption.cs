using System.Runtime.InteropServices;
using PortDoctor.Core.Reports;

namespace PortDoctor.Cli.Commands;

/// <summary>
/// Ctrl+C and SIGTERM for one run. The first signal cancels <see cref="Token"/> and keeps the process alive so the
/// run can stop, say what it did and what PortDoctor holds; a second one is left to the OS, which ends the process at once.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signal;

    private Interruption()
    {
    }

    /// <summary>Cancelled at the first Ctrl+C or SIGTERM.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>Completes at the first signal.</summary>
    public Task Requested => _requested.Task;

    /// <summary>True once a signal came.</summary>
    public bool IsRequested => Volatile.Read(ref _signal) != 0;

    /// <summary>How the run was stopped, for people: "Ctrl+C" or "SIGTERM".</summary>
    public string SignalName => Volatile.Read(ref _signal) == (int)PosixSignal.SIGTERM ? "SIGTERM" : "Ctrl+C";

    /// <summary>The shell's convention: 128 + the signal number.</summary>
    public int ExitCode => Volatile.Read(ref _signal) == (int)PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;

    /// <summary>Starts listening for Ctrl+C (SIGINT) and SIGTERM.</summary>
    /// <returns>The listener; dispose it when the run is over.</returns>
    public static Interruption Listen()
    {
        var interruption = new Interruption();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                interruption._registrations.Add(PosixSignalRegistration.Create(signal, interruption.Handle));
            }
            catch (PlatformNotSupportedException)
            {
                // Not on this OS (SIGTERM on some Windows hosts): that signal keeps its default.
            }
        }

        return interruption;
    }

    /// <summary>Acts as if the signal had come (tests).</summary>
    /// <param name="signal">SIGINT or SIGTERM.</param>
    internal void Raise(PosixSignal signal)
    {
        if (Interlocked.CompareExchange(ref _signal, (int)signal, 0) == 0)
        {
            _cancel.Cancel();
            _requested.TrySetResult();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancel.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        if (IsRequested)
        {
            // The second Ctrl+C: the user does not want to wait for the run to stop.
            return;
        }

        context.Cancel = true;
        Raise(context.Signal);
    }
}
