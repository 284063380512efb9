using System.Text;
using PortDoctor.Core.Journal;

namespace PortDoctor.Core.Tests.Journal;

/// <summary>The intent is durable before the change is sent: file flushed, folder flushed when the name is new.</summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pd-durable-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static JournalChange Mapping(int port) => new()
    {
        Kind = "mapping",
        Method = "upnp",
        Protocol = "udp",
        ExternalPort = port,
        InternalPort = port,
        InternalClient = "192.168.77.10",
        Gateway = "192.168.77.1",
        LeaseSeconds = 0,
    };

    [Fact]
    public void Creating_the_folder_and_the_file_flushes_their_parents_once_and_later_appends_do_not()
    {
        Directory.CreateDirectory(_root);
        var journal = new ChangeJournal(Path.Combine(_root, "state"));

        journal.WriteIntent(Mapping(8080));
        int expected = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? 2 : 0; // the root (new folder) and the folder (new file)
        Assert.Equal(expected, journal.DirectoryFlushes);

        journal.WriteIntent(Mapping(8081));
        Assert.Equal(expected, journal.DirectoryFlushes);

        // A new instance on an existing file: nothing new to make durable in the folder.
        var again = new ChangeJournal(journal.StateDirectory);
        again.WriteIntent(Mapping(8082));
        Assert.Equal(0, again.DirectoryFlushes);
        Assert.Equal(3, again.ReadAll().Count);
    }

    [Fact]
    public void Flushing_a_folder_works_on_Unix_and_a_missing_folder_is_refused_without_throwing()
    {
        Directory.CreateDirectory(_root);
        Assert.Equal(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), DurableFile.FlushDirectory(_root));
        Assert.False(DurableFile.FlushDirectory(Path.Combine(_root, "missing")));
    }

    [Fact]
    public void Every_line_carries_the_format_version_and_ends_with_a_newline()
    {
        var journal = new ChangeJournal(Path.Combine(_root, "state"));
        string id = journal.WriteIntent(Mapping(8080));
        journal.MarkDone(id, Mapping(8080) with { LeaseSeconds = 0 });

        string text = File.ReadAllText(journal.FilePath, Encoding.UTF8);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        string[] lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.StartsWith($"{{\"v\":{ChangeJournal.FormatVersion},", l, StringComparison.Ordinal));
        Assert.Equal(0, journal.ReadAll()[1].Change.LeaseSeconds);
    }

    [Fact]
    public void A_file_locked_exclusively_by_a_holder_can_still_be_read_raw()
    {
        Directory.CreateDirectory(_root);
        string path = Path.Combine(_root, "held");
        using var holder = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, OperatingSystem.IsWindows() ? FileShare.Read : FileShare.None);
        holder.Write("4242\n"u8);
        holder.Flush();
        Assert.Equal("4242\n", Encoding.ASCII.GetString(DurableFile.ReadHead(path, 32)!));
        Assert.Null(DurableFile.ReadHead(Path.Combine(_root, "missing"), 32));
    }
}
