using System.Globalization;

namespace PortDoctor.Integration.Tests.Harness;

/// <summary>
/// Skips a test (visibly, with the reason) when the machine cannot build a testbed: not Linux, not
/// root, or a required tool missing.
/// </summary>
public static class TestbedRequirements
{
    /// <summary>Tools every testbed needs.</summary>
    public static readonly IReadOnlyList<string> BaseTools = ["bash", "ip", "nft", "ss", "setsid", "miniupnpd"];

    /// <summary>The peer clients the testbed self-tests use.</summary>
    public static readonly IReadOnlyList<string> PeerTools = ["upnpc", "natpmpc", "python3"];

    private static readonly string[] ExtraSearchDirs = ["/usr/sbin", "/sbin", "/usr/local/sbin"];

    /// <summary>
    /// Calls <c>Assert.Skip</c> unless running as root on Linux with <see cref="BaseTools"/> and
    /// <paramref name="extraTools"/> on PATH (or in an sbin folder).
    /// </summary>
    public static void SkipUnlessAvailable(params string[] extraTools)
    {
        var problem = FindProblem(extraTools);
        if (problem is not null)
        {
            Assert.Skip($"needs root and miniupnpd/nft/ip: {problem}");
        }
    }

    /// <summary>Returns why a testbed cannot run here, or null when it can.</summary>
    public static string? FindProblem(IEnumerable<string> extraTools)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces exist only on Linux";
        }

        if (!IsRoot())
        {
            return "not running as root (namespaces and nftables need CAP_NET_ADMIN); run the tests with sudo";
        }

        var missing = BaseTools.Concat(extraTools).Where(t => FindTool(t) is null).ToList();
        return missing.Count == 0
            ? null
            : $"missing tool(s): {string.Join(", ", missing)} (Debian: apt-get install miniupnpd-nftables miniupnpc natpmpc nftables iproute2)";
    }

    /// <summary>Full path of <paramref name="tool"/>, or null when it is not installed.</summary>
    public static string? FindTool(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(ExtraSearchDirs)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
    }

    private static bool IsRoot()
    {
        // Effective uid is the second number of the "Uid:" line.
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                var fields = line["Uid:".Length..].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                return fields.Length > 1 && int.Parse(fields[1], CultureInfo.InvariantCulture) == 0;
            }
        }

        return false;
    }
}
