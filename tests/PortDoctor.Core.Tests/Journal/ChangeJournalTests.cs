using System.Text;
using PortDoctor.Core.Journal;

namespace PortDoctor.Core.Tests.Journal;

public sealed class ChangeJournalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pd-journal-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static JournalChange Mapping(int port, string protocol = "tcp") => new()
    {
        Kind = "mapping",
        Method = "upnp",
        Protocol = protocol,
        ExternalPort = port,
        InternalPort = port,
        InternalClient = "192.168.77.10",
        Gateway = "192.168.77.1",
        LeaseSeconds = 86400,
        ControlUrl = "http://192.168.77.1:5000/ctl/IPConn",
        ServiceType = "urn:schemas-upnp-org:service:WANIPConnection:2",
    };

    [Fact]
    public void Intent_then_done_is_held_and_reverted_is_not()
    {
        var journal = new ChangeJournal(_dir);
        string a = journal.WriteIntent(Mapping(8080));
        journal.MarkDone(a, Mapping(8080));
        string b = journal.WriteIntent(Mapping(9000));
        journal.MarkDone(b, Mapping(9000));
        string c = journal.WriteIntent(Mapping(7000));
        journal.MarkFailed(c, Mapping(7000), "606");
        string d = journal.WriteIntent(Mapping(6000));

        journal.MarkReverted(b, Mapping(9000));

        var outstanding = journal.Outstanding();
        Assert.Equal([a, d], outstanding.Select(e => e.Id));
        Assert.Equal(JournalOp.Done, outstanding[0].Op);
        Assert.Equal(JournalOp.Intent, outstanding[1].Op);
        Assert.Equal("http://192.168.77.1:5000/ctl/IPConn", outstanding[0].Change.ControlUrl);
    }

    [Fact]
    public void A_missing_journal_reads_as_empty()
    {
        Assert.Empty(new ChangeJournal(_dir).ReadAll());
    }

    [Fact]
    public void A_torn_last_line_is_ignored_at_every_byte_offset_and_the_intact_part_survives()
    {
        var journal = new ChangeJournal(_dir);
        string a = journal.WriteIntent(Mapping(8080));
        journal.MarkDone(a, Mapping(8080));
        byte[] intact = File.ReadAllBytes(journal.FilePath);
        string b = journal.WriteIntent(Mapping(9000));
        byte[] full = File.ReadAllBytes(journal.FilePath);
        int lastLineLength = full.Length - intact.Length;

        for (int cut = 0; cut < lastLineLength; cut++)
        {
            File.WriteAllBytes(journal.FilePath, full.AsSpan(0, intact.Length + cut).ToArray());
            var entries = journal.ReadAll();
            Assert.Equal(2, entries.Count);
            Assert.All(entries, e => Assert.Equal(a, e.Id));
        }

        // The complete file still has all three lines.
        File.WriteAllBytes(journal.FilePath, full);
        Assert.Equal(3, journal.ReadAll().Count);
        Assert.Contains(journal.ReadAll(), e => e.Id == b);
    }

    [Fact]
    public void Appending_after_a_torn_line_drops_the_torn_tail_instead_of_corrupting_the_file()
    {
        var journal = new ChangeJournal(_dir);
        string a = journal.WriteIntent(Mapping(8080));
        File.AppendAllText(journal.FilePath, "{\"v\":1,\"id\":\"torn");
        journal.MarkDone(a, Mapping(8080));
        var entries = journal.ReadAll();
        Assert.Equal(2, entries.Count);
        Assert.Equal(JournalOp.Done, entries[1].Op);
    }

    [Fact]
    public void A_corrupt_middle_line_is_an_error_naming_the_line()
    {
        var journal = new ChangeJournal(_dir);
        journal.WriteIntent(Mapping(8080));
        File.AppendAllText(journal.FilePath, "not json\n");
        journal.WriteIntent(Mapping(9000));
        var ex = Assert.Throws<JournalException>(() => journal.ReadAll());
        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_newer_format_version_is_refused_with_advice()
    {
        Directory.CreateDirectory(_dir);
        var journal = new ChangeJournal(_dir);
        File.WriteAllText(journal.FilePath,
            "{\"v\":99,\"id\":\"x\",\"op\":\"intent\",\"at\":\"2026-11-30T00:00:00+00:00\",\"change\":{\"kind\":\"mapping\",\"method\":\"upnp\",\"protocol\":\"tcp\",\"externalPort\":1}}\n",
            Encoding.UTF8);
        var ex = Assert.Throws<JournalException>(() => journal.ReadAll());
        Assert.Contains("newer PortDoctor", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_journal_is_a_clear_error()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName == "root")
        {
            // root reads through file modes; make the path a folder instead, which nobody can read as a file.
            Directory.CreateDirectory(Path.Combine(_dir, ChangeJournal.FileName));
        }
        else
        {
            Directory.CreateDirectory(_dir);
            File.WriteAllText(Path.Combine(_dir, ChangeJournal.FileName), "");
            File.SetUnixFileMode(Path.Combine(_dir, ChangeJournal.FileName), UnixFileMode.None);
        }

        var ex = Assert.Throws<JournalException>(() => new ChangeJournal(_dir).ReadAll());
        Assert.Contains("Cannot read the journal", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrent_writers_never_interleave_lines()
    {
        var journal = new ChangeJournal(_dir);
        const int Writers = 4, PerWriter = 50;
        Parallel.For(0, Writers, w =>
        {
            var j = new ChangeJournal(_dir);
            for (int i = 0; i < PerWriter; i++)
            {
                string id = j.WriteIntent(Mapping(10000 + (w * PerWriter) + i));
                j.MarkDone(id, Mapping(10000 + (w * PerWriter) + i));
            }
        });

        var entries = journal.ReadAll();
        Assert.Equal(Writers * PerWriter * 2, entries.Count);
        Assert.Equal(Writers * PerWriter, journal.Outstanding().Count);
    }
}
