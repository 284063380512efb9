using System.Diagnostics;
using System.Reflection;

namespace PortDoctor.Bench.Checker;

/// <summary>
/// A network namespace of the bench's own: only a loopback interface, an nftables rule that drops TCP to
/// one port (a black hole: SYNs vanish, so probes see "filtered"), more ephemeral ports and a deeper accept
/// queue. Deleted on dispose, even after a failed phase.
/// </summary>
internal sealed class BenchNamespace : IDisposable
{
    private BenchNamespace(string name) => Name = name;

    public string Name { get; }

    public static BenchNamespace Create(int blackHolePort)
    {
        var ns = new BenchNamespace($"pdbench{Environment.ProcessId}");
        Run("ip", "netns", "add", ns.Name);
        try
        {
            Run("ip", "-n", ns.Name, "link", "set", "lo", "up");
            Run("ip", "netns", "exec", ns.Name, "sysctl", "-q", "-w", "net.ipv4.ip_local_port_range=1024 65000");
            Run("ip", "netns", "exec", ns.Name, "sysctl", "-q", "-w", "net.core.somaxconn=65535");
            Run("ip", "netns", "exec", ns.Name, "sysctl", "-q", "-w", "net.ipv4.tcp_tw_reuse=1");
            Run("ip", "netns", "exec", ns.Name, "sysctl", "-q", "-w", "net.ipv4.tcp_max_syn_backlog=65535");
            Run("ip", "netns", "exec", ns.Name, "nft", "add", "table", "inet", "pdbench");
            Run("ip", "netns", "exec", ns.Name, "nft", "add", "chain", "inet", "pdbench", "input", "{ type filter hook input priority 0; policy accept; }");
            Run("ip", "netns", "exec", ns.Name, "nft", "add", "rule", "inet", "pdbench", "input", "tcp", "dport", blackHolePort.ToString(System.Globalization.CultureInfo.InvariantCulture), "drop");
        }
        catch
        {
            ns.Dispose();
            throw;
        }

        return ns;
    }

    /// <summary>Runs this program again inside the namespace for one phase; bounded in time.</summary>
    public int RunSelf(string phase, BenchSettings settings, TimeSpan limit)
    {
        string self = Environment.ProcessPath!;
        // The runtime raises its open-file limit to the hard limit by itself; phase (b) stays well under it.
        var command = new List<string> { "netns", "exec", Name, self };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            command.Add(Assembly.GetEntryAssembly()!.Location);
        }

        command.AddRange(settings.ToArgs(phase));
        var info = new ProcessStartInfo("ip") { UseShellExecute = false };
        command.ForEach(info.ArgumentList.Add);
        using Process child = Process.Start(info)!;
        if (!child.WaitForExit(limit))
        {
            Console.WriteLine($"phase {phase} exceeded {limit.TotalSeconds} s; killing it");
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
            return 124;
        }

        return child.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            Run("ip", "netns", "delete", Name);
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"could not delete namespace {Name}: {ex.Message}");
        }
    }

    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using Process p = Process.Start(info)!;
        string error = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(10_000) || p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {error.Trim()}");
        }
    }
}
