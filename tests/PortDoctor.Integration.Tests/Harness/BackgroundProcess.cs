using System.Globalization;

namespace PortDoctor.Integration.Tests.Harness;

/// <summary>
/// A process started in a testbed namespace by <c>testbed.sh bg</c>. It runs in its own session;
/// <c>testbed.sh down</c> kills it if the test has not.
/// </summary>
/// <param name="Pid">Process id (also its process group id).</param>
/// <param name="LogPath">File receiving its stdout and stderr.</param>
public sealed record BackgroundProcess(int Pid, string LogPath)
{
    /// <summary>True while the process exists and is not a zombie.</summary>
    public bool IsRunning
    {
        get
        {
            try
            {
                // Field 3 of /proc/PID/stat is the state; "Z" is a finished, unreaped process.
                var stat = File.ReadAllText($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/stat");
                var afterName = stat[(stat.LastIndexOf(')') + 2)..];
                return afterName.Length > 0 && afterName[0] != 'Z';
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }
    }

    /// <summary>Its output so far (empty when the log is gone).</summary>
    public string ReadLog()
    {
        try
        {
            return File.ReadAllText(LogPath);
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
