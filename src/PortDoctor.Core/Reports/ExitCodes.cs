namespace PortDoctor.Core.Reports;

/// <summary>Process exit codes (README.md, "Exit codes").</summary>
public static class ExitCodes
{
    /// <summary>Success: reachable, or the requested change was made.</summary>
    public const int Success = 0;

    /// <summary>Checked and not reachable, or a diagnosis found a fault.</summary>
    public const int NotReachable = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>Environment problem: no permission, no network, unusable state folder.</summary>
    public const int Environment = 3;

    /// <summary>Interrupted with Ctrl+C (SIGINT) before the end: 128 + 2, as shells report a process ended by SIGINT.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped with SIGTERM before the end: 128 + 15.</summary>
    public const int Terminated = 143;
}
