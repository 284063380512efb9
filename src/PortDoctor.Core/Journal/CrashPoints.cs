using System.Diagnostics;
using System.Globalization;

namespace PortDoctor.Core.Journal;

/// <summary>
/// TEST-ONLY crash hook. When the environment variable <c>PORTDOCTOR_TEST_CRASH_AT</c> names a point
/// (optionally <c>POINT:N</c> for the N-th time that point is reached, N ≥ 1), the process kills itself
/// with SIGKILL exactly there, so that the crash tests can prove <c>undo</c> recovers from a crash at every
/// step of journaling a change. Users never set it. Unset, a call costs one static field read.
/// </summary>
internal static class CrashPoints
{
    /// <summary>The environment variable read once per process.</summary>
    internal const string EnvironmentVariable = "PORTDOCTOR_TEST_CRASH_AT";

    /// <summary>Half of an intent line is on disk (flushed); the rest never arrives: a torn tail.</summary>
    internal const string IntentTorn = "intent-torn";

    /// <summary>The intent line is durable; nothing has been sent.</summary>
    internal const string IntentWritten = "intent-written";

    /// <summary>Right before the request goes to the router.</summary>
    internal const string BeforeSend = "before-send";

    /// <summary>The router has answered (the change may exist); its outcome is not journaled.</summary>
    internal const string AfterSend = "after-send";

    /// <summary>The done line is durable.</summary>
    internal const string DoneWritten = "done-written";

    /// <summary>Every point, in the order a change passes them.</summary>
    internal static readonly IReadOnlyList<string> All = [IntentTorn, IntentWritten, BeforeSend, AfterSend, DoneWritten];

    // Read once: the hook must not cost anything on the normal path.
    private static readonly CrashPlan? Plan = Load();

    /// <summary>Kills the process with SIGKILL when the armed plan says this is the moment.</summary>
    /// <param name="point">One of the point names above.</param>
    internal static void Hit(string point)
    {
        if (Plan is not null && Plan.ShouldCrash(point))
        {
            Die();
        }
    }

    /// <summary>True when the armed plan says to crash at this hit of <paramref name="point"/>; counts the hit.</summary>
    /// <param name="point">The point reached.</param>
    /// <returns>True when the caller must prepare its crash (for a torn write) and then call <see cref="Die"/>.</returns>
    internal static bool IsDue(string point) => Plan is not null && Plan.ShouldCrash(point);

    /// <summary>SIGKILL to this process: no finally blocks, no flushing, no exit handlers, like a power cut
    /// for everything above the kernel. (<see cref="Environment.FailFast(string)"/> would raise SIGABRT
    /// and write a crash report instead.)</summary>
    internal static void Die()
    {
        using (var self = Process.GetCurrentProcess())
        {
            self.Kill();
        }

        // The signal is delivered asynchronously on some systems: never run past the crash point.
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>Parses a plan (pure).</summary>
    /// <param name="text">The variable's value; null or blank means unarmed.</param>
    /// <param name="plan">The plan, or null when unarmed or invalid.</param>
    /// <param name="error">Why the value is invalid, naming the valid points; null otherwise.</param>
    /// <returns>True when the value is empty or valid.</returns>
    internal static bool TryParse(string? text, out CrashPlan? plan, out string? error)
    {
        plan = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        string value = text.Trim();
        string point = value;
        int occurrence = 1;
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            point = value[..colon];
            if (!int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out occurrence) || occurrence < 1)
            {
                error = $"{EnvironmentVariable}='{text}': the count after ':' must be a whole number from 1 up (POINT or POINT:N).";
                return false;
            }
        }

        if (!All.Contains(point, StringComparer.Ordinal))
        {
            error = $"{EnvironmentVariable}='{text}' names no crash point; use one of {string.Join(", ", All)}, optionally followed by :N.";
            return false;
        }

        plan = new CrashPlan(point, occurrence);
        return true;
    }

    private static CrashPlan? Load()
    {
        if (!TryParse(Environment.GetEnvironmentVariable(EnvironmentVariable), out var plan, out var error))
        {
            // A typo must not pass silently as "did not crash": say it, then run normally.
            Console.Error.WriteLine(error + " Ignored.");
        }

        return plan;
    }
}

/// <summary>A crash armed at the <paramref name="Occurrence"/>-th hit of <paramref name="Point"/>.</summary>
/// <param name="Point">The crash point name.</param>
/// <param name="Occurrence">Which hit of it kills, 1 = the first.</param>
internal sealed record CrashPlan(string Point, int Occurrence)
{
    private int _hits;

    /// <summary>Counts a hit of <paramref name="point"/> and says whether this is the one that kills.</summary>
    /// <param name="point">The point reached.</param>
    /// <returns>True exactly once: at the armed hit of the armed point.</returns>
    public bool ShouldCrash(string point) =>
        string.Equals(point, Point, StringComparison.Ordinal) && Interlocked.Increment(ref _hits) == Occurrence;
}
