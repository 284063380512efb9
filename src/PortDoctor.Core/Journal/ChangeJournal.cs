using System.Text;
using System.Text.Json;

namespace PortDoctor.Core.Journal;

/// <summary>
/// The append-only, line-oriented journal of every change PortDoctor makes (one JSON object per line,
/// each carrying its format version). An intent line is durable before the change is sent: the file is
/// flushed to disk (fsync / FlushFileBuffers) on every append, and the folder too when the file or the
/// folder was just created (a new file's name lives in its folder). A done/failed line follows. A torn
/// last line (crash while writing) is ignored; a bad line in the middle is an error, since guessing could
/// lose a change that must be reverted. Writers in several processes are serialised by
/// <see cref="LockFileName"/> (see <see cref="LockTimeout"/>).
/// </summary>
public sealed class ChangeJournal
{
    /// <summary>The record format version this build writes and the newest it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The journal file name inside the state folder.</summary>
    public const string FileName = "journal.jsonl";

    /// <summary>The side file whose exclusive lock serialises writers.</summary>
    public const string LockFileName = "journal.lock";

    /// <summary>Default for <see cref="LockTimeout"/>: 5 s. An append holds the lock for about a millisecond
    /// plus one fsync, so even a slow disk and several portdoctor processes stay far below it; waiting longer
    /// would only hide a hung holder from the user.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time;
    private int _directoryFlushes;

    /// <summary>Opens (without creating yet) the journal in <paramref name="stateDirectory"/>.</summary>
    /// <param name="stateDirectory">The state folder.</param>
    /// <param name="time">Clock for timestamps.</param>
    public ChangeJournal(string stateDirectory, TimeProvider? time = null)
    {
        StateDirectory = stateDirectory;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The folder holding the journal.</summary>
    public string StateDirectory { get; }

    /// <summary>The journal file path.</summary>
    public string FilePath => Path.Combine(StateDirectory, FileName);

    /// <summary>The writer lock file path (holds the holder's process id while held).</summary>
    public string LockFilePath => Path.Combine(StateDirectory, LockFileName);

    /// <summary>How long an append waits for another process that holds the writer lock; then it fails with a
    /// <see cref="JournalException"/> naming the lock file and the holder's process id. Default <see cref="DefaultLockTimeout"/>.</summary>
    public TimeSpan LockTimeout { get; init; } = DefaultLockTimeout;

    /// <summary>How many times this instance flushed a folder to disk (after creating the file or the folder); for tests.</summary>
    internal int DirectoryFlushes => Volatile.Read(ref _directoryFlushes);

    /// <summary>Test seam: told every crash point this journal passes (<see cref="CrashPoints"/>), in order, before the
    /// armed crash could strike there.</summary>
    internal Action<string>? CrashPointObserver { get; init; }

    /// <summary>Passes a crash point: tells the observer, then lets an armed crash plan kill the process here.</summary>
    /// <param name="point">One of the <see cref="CrashPoints"/> names.</param>
    internal void Pass(string point)
    {
        CrashPointObserver?.Invoke(point);
        CrashPoints.Hit(point);
    }

    /// <summary>Writes an intent line and returns its id; durable before return.</summary>
    /// <param name="change">The change about to be made.</param>
    /// <returns>The change id to pass to <see cref="MarkDone"/>, <see cref="MarkFailed"/> or <see cref="MarkReverted"/>.</returns>
    /// <exception cref="JournalException">The journal cannot be written.</exception>
    public string WriteIntent(JournalChange change)
    {
        string id = Guid.NewGuid().ToString("N");
        Append(new JournalEntry { Version = FormatVersion, Id = id, Op = JournalOp.Intent, At = _time.GetUtcNow(), Change = change }, CrashPoints.IntentTorn);
        Pass(CrashPoints.IntentWritten);
        return id;
    }

    /// <summary>Records that the change was made, with its final values (for example the lease granted).</summary>
    /// <param name="id">The id from <see cref="WriteIntent"/>.</param>
    /// <param name="change">The change as made.</param>
    /// <exception cref="JournalException">The journal cannot be written.</exception>
    public void MarkDone(string id, JournalChange change)
    {
        Append(new JournalEntry { Version = FormatVersion, Id = id, Op = JournalOp.Done, At = _time.GetUtcNow(), Change = change });
        Pass(CrashPoints.DoneWritten);
    }

    /// <summary>Records that the change failed, so nothing is held.</summary>
    /// <param name="id">The id from <see cref="WriteIntent"/>.</param>
    /// <param name="change">The change.</param>
    /// <param name="error">Why.</param>
    /// <exception cref="JournalException">The journal cannot be written.</exception>
    public void MarkFailed(string id, JournalChange change, string error) =>
        Append(new JournalEntry { Version = FormatVersion, Id = id, Op = JournalOp.Failed, At = _time.GetUtcNow(), Change = change, Error = error });

    /// <summary>Records that the change was reverted.</summary>
    /// <param name="id">The change id.</param>
    /// <param name="change">The change.</param>
    /// <exception cref="JournalException">The journal cannot be written.</exception>
    public void MarkReverted(string id, JournalChange change) =>
        Append(new JournalEntry { Version = FormatVersion, Id = id, Op = JournalOp.Reverted, At = _time.GetUtcNow(), Change = change });

    /// <summary>Reads every line.</summary>
    /// <returns>The entries in file order; empty when the file does not exist.</returns>
    /// <exception cref="JournalException">Unreadable file, a corrupt line before the last, or a newer format version.</exception>
    public IReadOnlyList<JournalEntry> ReadAll()
    {
        string text;
        try
        {
            text = File.ReadAllText(FilePath, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new JournalException($"Cannot read the journal {FilePath}: {ex.Message}. Check its permissions (run as the user who made the changes).", ex);
        }

        return Parse(text, FilePath);
    }

    /// <summary>Parses journal text (pure; exposed for tests).</summary>
    /// <param name="text">The file text.</param>
    /// <param name="path">The path, for messages.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="JournalException">A corrupt line before the last, or a newer format version.</exception>
    public static IReadOnlyList<JournalEntry> Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        var entries = new List<JournalEntry>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            // Only the final line can be torn by a crash; it is the one with no newline after it. Such a
            // line never became durable, so the change it announced was never sent: ignore it, even when
            // its JSON happens to be complete (the writer cuts it off the same way).
            if (i == lines.Length - 1)
            {
                break;
            }

            JournalEntry? entry = null;
            try
            {
                entry = JsonSerializer.Deserialize(line, JournalJsonContext.Default.JournalEntry);
            }
            catch (JsonException ex)
            {
                throw new JournalException($"The journal {path} is damaged at line {i + 1} ({ex.Message}). Keep a copy of the file; the changes it lists may still be on your router.", ex);
            }

            if (entry is null)
            {
                continue;
            }

            if (entry.Version > FormatVersion)
            {
                throw new JournalException($"The journal {path} line {i + 1} was written by a newer PortDoctor (format {entry.Version}; this one reads up to {FormatVersion}). Use the newer version to undo those changes.");
            }

            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>The changes currently held (done and not reverted) and pending (intent with no outcome), oldest first.</summary>
    /// <returns>One entry per change id, the latest line for that change.</returns>
    /// <exception cref="JournalException">The journal cannot be read.</exception>
    public IReadOnlyList<JournalEntry> Outstanding()
    {
        var latest = new Dictionary<string, JournalEntry>();
        var order = new List<string>();
        foreach (var e in ReadAll())
        {
            if (!latest.ContainsKey(e.Id))
            {
                order.Add(e.Id);
            }

            latest[e.Id] = e;
        }

        return order.Select(id => latest[id]).Where(e => e.Op is JournalOp.Intent or JournalOp.Done).ToList();
    }

    /// <summary>
    /// A last line without its newline was cut by a crash before it became durable, so the change it
    /// announced was never sent: cut it off, or the next append would turn it into a corrupt middle line.
    /// </summary>
    private static void DropTornTail(FileStream stream)
    {
        long length = stream.Length;
        if (length == 0)
        {
            return;
        }

        const int Chunk = 4096;
        var buffer = new byte[Chunk];
        long end = length;
        while (end > 0)
        {
            int size = (int)Math.Min(Chunk, end);
            stream.Seek(end - size, SeekOrigin.Begin);
            stream.ReadExactly(buffer, 0, size);
            int nl = Array.LastIndexOf(buffer, (byte)'\n', size - 1, size);
            if (nl >= 0)
            {
                long keep = end - size + nl + 1;
                if (keep != length)
                {
                    stream.SetLength(keep);
                }

                return;
            }

            end -= size;
        }

        stream.SetLength(0);
    }

    private void Append(JournalEntry entry, string? tornCrashPoint = null)
    {
        byte[] line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, JournalJsonContext.Default.JournalEntry) + "\n");
        bool folderCreated;
        try
        {
            folderCreated = !Directory.Exists(StateDirectory);
            Directory.CreateDirectory(StateDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new JournalException($"Cannot create the state folder {StateDirectory}: {ex.Message}. Pass --state-dir with a writable folder.", ex);
        }

        if (folderCreated && Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(StateDirectory)) is { Length: > 0 } parent)
        {
            FlushDirectory(parent);
        }

        // One writer at a time, across processes. Readers don't take the lock: they ignore a half-written last line.
        using var writerLock = JournalLock.Acquire(StateDirectory, _time, LockTimeout);
        try
        {
            // Checked under the lock: only the writer that creates the file flushes its name into the folder.
            bool fileCreated = !File.Exists(FilePath);
            using (var stream = new FileStream(FilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite))
            {
                DropTornTail(stream);
                stream.Seek(0, SeekOrigin.End);
                if (tornCrashPoint is not null)
                {
                    CrashPointObserver?.Invoke(tornCrashPoint);
                }

                if (tornCrashPoint is not null && CrashPoints.IsDue(tornCrashPoint))
                {
                    // Test hook: leave exactly what a crash in the middle of write(2) leaves.
                    stream.Write(line.AsSpan(0, line.Length / 2));
                    stream.Flush(flushToDisk: true);
                    CrashPoints.Die();
                }

                stream.Write(line);
                stream.Flush(flushToDisk: true);
            }

            if (fileCreated || folderCreated)
            {
                FlushDirectory(StateDirectory);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new JournalException($"Cannot write the journal {FilePath}: {ex.Message}. Check that the folder is writable and the disk not full, or use --state-dir.", ex);
        }
    }

    private void FlushDirectory(string directory)
    {
        if (DurableFile.FlushDirectory(directory))
        {
            Interlocked.Increment(ref _directoryFlushes);
        }
    }
}
