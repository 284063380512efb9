using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PortDoctor.Core.Journal;

/// <summary>
/// The cross-process writer lock: an exclusive OS lock on <see cref="ChangeJournal.LockFileName"/> (flock on
/// Unix, a share mode on Windows), held for one append. The OS drops it when the holder dies, so a crashed
/// portdoctor never blocks the next one; the file itself stays and means nothing by its existence. While
/// held it contains the holder's process id, so that a waiter that gives up can name who holds it.
/// </summary>
internal sealed class JournalLock : IDisposable
{
    // Between attempts: short against an append (about a millisecond plus an fsync), long against busy-waiting.
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(20);

    private readonly FileStream _stream;

    private JournalLock(FileStream stream, string path)
    {
        _stream = stream;
        FilePath = path;
    }

    /// <summary>The lock file.</summary>
    public string FilePath { get; }

    /// <summary>Takes the lock, waiting up to <paramref name="wait"/> for another holder to let go.</summary>
    /// <param name="stateDirectory">The state folder (must exist).</param>
    /// <param name="time">Clock for the deadline.</param>
    /// <param name="wait">How long to wait for another holder.</param>
    /// <returns>The held lock; dispose it to release.</returns>
    /// <exception cref="JournalException">Still held by another process after <paramref name="wait"/>
    /// (the message names the lock file and the holder's process id when known), or the file cannot be opened.</exception>
    public static JournalLock Acquire(string stateDirectory, TimeProvider time, TimeSpan wait)
    {
        string path = Path.Combine(stateDirectory, ChangeJournal.LockFileName);
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            FileStream stream;
            try
            {
                // Unix: FileShare.None is an exclusive flock, and any other .NET open (even a read) fails.
                // Windows: sharing only reading still stops a second writer and lets a waiter read the pid.
                stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, OperatingSystem.IsWindows() ? FileShare.Read : FileShare.None);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new JournalException($"Cannot open the journal lock {path}: {ex.Message}. Run as the user who owns the state folder, or pass --state-dir with a writable folder.", ex);
            }
            catch (IOException ex) when (!IsContention(ex))
            {
                throw new JournalException($"Cannot open the journal lock {path}: {ex.Message}. Check that it is a file and the folder is writable, or pass --state-dir with another folder.", ex);
            }
            catch (IOException ex)
            {
                if (time.GetUtcNow() >= deadline)
                {
                    throw new JournalException(BusyMessage(path, wait, ReadHolder(path)), ex);
                }

                Thread.Sleep(RetryDelay);
                continue;
            }

            var held = new JournalLock(stream, path);
            held.WriteOwner();
            return held;
        }
    }

    /// <summary>The process id written in the lock file, or null when it is empty, unreadable or not a number.</summary>
    /// <param name="path">The lock file.</param>
    /// <returns>The id.</returns>
    public static int? ReadHolder(string path)
    {
        byte[]? head = DurableFile.ReadHead(path, 32);
        if (head is null)
        {
            return null;
        }

        string text = Encoding.ASCII.GetString(head).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : null;
    }

    /// <summary>The message for a lock still held after the wait (pure but for the liveness check).</summary>
    /// <param name="path">The lock file.</param>
    /// <param name="wait">How long the caller waited.</param>
    /// <param name="holder">The pid read from the file, if any.</param>
    /// <returns>What is wrong and what to do.</returns>
    public static string BusyMessage(string path, TimeSpan wait, int? holder)
    {
        string waited = wait.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        string who = holder switch
        {
            int pid when IsAlive(pid, out string? name) => string.Create(CultureInfo.InvariantCulture, $"process {pid}{(name is null ? "" : $" ({name})")}"),
            int pid => string.Create(CultureInfo.InvariantCulture, $"another process (the file names process {pid}, which is no longer running; the new holder has not written its id yet)"),
            null => "another process (it did not write its process id)",
        };
        string stop = holder is int p && IsAlive(p, out _)
            ? string.Create(CultureInfo.InvariantCulture, $"If it hangs, stop it (kill {p}, or end it in Task Manager) and run the command again.")
            : "If none is running, run the command again.";
        return $"The journal lock {path} is still held by {who} after {waited} s: another portdoctor is changing the same state folder. Wait for it to finish. {stop}";
    }

    /// <summary>Releases the lock; the file is emptied first so that a leftover id always means a crash.</summary>
    public void Dispose()
    {
        try
        {
            _stream.SetLength(0);
        }
        catch (IOException)
        {
            // Best effort: a stale id is harmless, the OS lock is what counts.
        }

        _stream.Dispose();
    }

    private void WriteOwner()
    {
        try
        {
            _stream.SetLength(0);
            _stream.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            _stream.Flush();
        }
        catch (IOException)
        {
            // The id only helps messages; the lock is held either way.
        }
    }

    // Another holder, as opposed to a broken path: EWOULDBLOCK from flock (11 on Linux, 35 on macOS), or a
    // sharing/lock violation on Windows (ERROR_SHARING_VIOLATION 32, ERROR_LOCK_VIOLATION 33).
    private static bool IsContention(IOException ex) => OperatingSystem.IsWindows()
        ? (ex.HResult & 0xFFFF) is 32 or 33
        : ex.HResult is 11 or 35;

    private static bool IsAlive(int pid, out string? name)
    {
        name = null;
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited)
            {
                return false;
            }

            name = process.ProcessName;
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }
}
