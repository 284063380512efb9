using System.Globalization;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Ports;

/// <summary>
/// Linux implementation: sockets from <c>/proc/net/{tcp,tcp6,udp,udp6}</c>, owners by matching socket
/// inodes with the <c>socket:[INODE]</c> links in <c>/proc/PID/fd</c>. Needs no external tool; without
/// root only the caller's own processes can be named.
/// </summary>
internal sealed class LinuxPortOwnerLookup : IPortOwnerLookup
{
    private readonly string _procRoot;

    /// <summary>Creates a lookup over a proc file system.</summary>
    /// <param name="procRoot">The proc mount, normally "/proc" (tests pass a fixture folder).</param>
    public LinuxPortOwnerLookup(string procRoot = "/proc") => _procRoot = procRoot;

    /// <inheritdoc />
    public IReadOnlyList<PortOwner> FindOwners(TransportProtocol protocol, int port)
    {
        string[] tables = protocol == TransportProtocol.Tcp ? ["tcp", "tcp6"] : ["udp", "udp6"];
        var sockets = new List<ProcNetSocket>();
        foreach (var table in tables)
        {
            string text = ReadOrEmpty(Path.Combine(_procRoot, "net", table));
            foreach (var row in ProcNetParser.Parse(text))
            {
                bool bound = protocol == TransportProtocol.Tcp ? row.State == ProcNetParser.TcpListen : true;
                if (bound && row.LocalPort == port)
                {
                    sockets.Add(row);
                }
            }
        }

        if (sockets.Count == 0)
        {
            return [];
        }

        var owners = MapInodesToProcesses(sockets.Select(s => s.Inode).ToHashSet());
        return sockets
            .Select(s =>
            {
                owners.TryGetValue(s.Inode, out int pid);
                return pid == 0
                    ? new PortOwner(protocol, s.LocalAddress, s.LocalPort, null, null, null)
                    : new PortOwner(protocol, s.LocalAddress, s.LocalPort, pid, ReadComm(pid), ReadExe(pid));
            })
            .ToList();
    }

    private Dictionary<long, int> MapInodesToProcesses(HashSet<long> inodes)
    {
        var map = new Dictionary<long, int>();
        IEnumerable<string> pidDirs;
        try
        {
            pidDirs = Directory.EnumerateDirectories(_procRoot);
        }
        catch (IOException)
        {
            return map;
        }
        catch (UnauthorizedAccessException)
        {
            return map;
        }

        foreach (var dir in pidDirs)
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")))
                {
                    string? target = new FileInfo(fd).LinkTarget;
                    if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                        && long.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out long inode)
                        && inodes.Contains(inode))
                    {
                        map.TryAdd(inode, pid);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's process, or it exited while we looked: skip it.
            }
        }

        return map;
    }

    private string? ReadComm(int pid)
    {
        string text = ReadOrEmpty(Path.Combine(_procRoot, pid.ToString(CultureInfo.InvariantCulture), "comm")).Trim();
        return text.Length == 0 ? null : text;
    }

    private string? ReadExe(int pid)
    {
        try
        {
            return new FileInfo(Path.Combine(_procRoot, pid.ToString(CultureInfo.InvariantCulture), "exe")).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
