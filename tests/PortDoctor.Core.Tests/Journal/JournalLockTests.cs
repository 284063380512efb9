using System.Diagnostics;
using System.Globalization;
using PortDoctor.Core.Journal;

namespace PortDoctor.Core.Tests.Journal;

/// <summary>The writer lock: a clear message naming the lock file and holder, and no blocking by a dead holder.</summary>
public sealed class JournalLockTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pd-lock-" + Guid.NewGuid().ToString("N"));

    public JournalLockTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static JournalChange Mapping(int port) => new()
    {
        Kind = "mapping",
        Method = "upnp",
        Protocol = "tcp",
        ExternalPort = port,
        InternalPort = port,
        InternalClient = "192.168.77.10",
        Gateway = "192.168.77.1",
        LeaseSeconds = 3600,
    };

    [Fact]
    public void A_held_lock_makes_the_other_writer_give_up_naming_the_lock_file_and_the_holders_pid()
    {
        var journal = new ChangeJournal(_dir) { LockTimeout = TimeSpan.FromMilliseconds(300) };
        using (var held = JournalLock.Acquire(_dir, TimeProvider.System, TimeSpan.FromSeconds(1)))
        {
            Assert.Equal(Environment.ProcessId, JournalLock.ReadHolder(journal.LockFilePath));
            var watch = Stopwatch.StartNew();
            var ex = Assert.Throws<JournalException>(() => journal.WriteIntent(Mapping(8080)));
            watch.Stop();

            Assert.Contains(journal.LockFilePath, ex.Message, StringComparison.Ordinal);
            Assert.Contains($"process {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}", ex.Message, StringComparison.Ordinal);
            Assert.Contains("still held", ex.Message, StringComparison.Ordinal);
            Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        }

        // Released: the id is gone and the next append goes through.
        Assert.Null(JournalLock.ReadHolder(journal.LockFilePath));
        journal.WriteIntent(Mapping(8080));
        Assert.Single(journal.ReadAll());
    }

    [Fact]
    public void An_append_leaves_the_lock_file_empty_so_a_leftover_id_always_means_a_crash()
    {
        var journal = new ChangeJournal(_dir);
        journal.WriteIntent(Mapping(8080));
        Assert.True(File.Exists(journal.LockFilePath));
        Assert.Equal(0, new FileInfo(journal.LockFilePath).Length);
    }

    [Fact]
    public void A_lock_file_left_by_a_writer_killed_while_holding_it_does_not_block_the_next_writer()
    {
        SkipUnlessFlock();
        var journal = new ChangeJournal(_dir);
        // A writer that takes the lock exactly like portdoctor (flock LOCK_EX), writes its id, and dies by SIGKILL.
        int deadPid = RunToEnd("exec 9>>\"$1\"; flock -x 9; printf '%s\\n' $$ > \"$1\"; kill -9 $$", journal.LockFilePath);
        Assert.Equal(deadPid, JournalLock.ReadHolder(journal.LockFilePath));

        var watch = Stopwatch.StartNew();
        string id = journal.WriteIntent(Mapping(8080));
        watch.Stop();

        Assert.Contains(journal.ReadAll(), e => e.Id == id);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"the append waited {watch.Elapsed} behind a dead holder");
        Assert.Null(JournalLock.ReadHolder(journal.LockFilePath));
    }

    [Fact]
    public void A_live_holder_in_another_process_is_named_by_pid_and_once_it_is_gone_the_append_succeeds()
    {
        SkipUnlessFlock();
        var journal = new ChangeJournal(_dir) { LockTimeout = TimeSpan.FromMilliseconds(400) };
        using var holder = StartBash("exec 9>>\"$1\"; flock -x 9; printf '%s\\n' $$ > \"$1\"; echo locked; exec sleep 30", journal.LockFilePath);
        try
        {
            Assert.Equal("locked", holder.StandardOutput.ReadLine());

            var ex = Assert.Throws<JournalException>(() => journal.WriteIntent(Mapping(8080)));
            Assert.Contains(journal.LockFilePath, ex.Message, StringComparison.Ordinal);
            Assert.Contains($"process {holder.Id.ToString(CultureInfo.InvariantCulture)}", ex.Message, StringComparison.Ordinal);
            Assert.Contains($"kill {holder.Id.ToString(CultureInfo.InvariantCulture)}", ex.Message, StringComparison.Ordinal);
            Assert.Empty(journal.ReadAll());
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
        }

        // The OS dropped the lock with the process; the stale id in the file does not matter.
        journal.WriteIntent(Mapping(8080));
        Assert.Single(journal.ReadAll());
    }

    [Fact]
    public void The_busy_message_says_when_the_named_holder_is_no_longer_running()
    {
        SkipUnlessFlock();
        int deadPid = RunToEnd("exit 0", "unused");
        string message = JournalLock.BusyMessage("/state/journal.lock", TimeSpan.FromSeconds(5), deadPid);
        Assert.Contains("/state/journal.lock", message, StringComparison.Ordinal);
        Assert.Contains($"names process {deadPid.ToString(CultureInfo.InvariantCulture)}, which is no longer running", message, StringComparison.Ordinal);

        string unknown = JournalLock.BusyMessage("/state/journal.lock", TimeSpan.FromSeconds(5), null);
        Assert.Contains("did not write its process id", unknown, StringComparison.Ordinal);
    }

    private static void SkipUnlessFlock()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/flock") && !File.Exists("/bin/flock"))
        {
            Assert.Skip("needs Linux with bash and flock(1) to hold the lock from another process");
        }
    }

    private static Process StartBash(string script, string arg)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", script, "bash", arg })
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi) ?? throw new InvalidOperationException("bash did not start");
    }

    private static int RunToEnd(string script, string arg)
    {
        using var process = StartBash(script, arg);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(10)), "bash did not finish");
        return process.Id;
    }
}
