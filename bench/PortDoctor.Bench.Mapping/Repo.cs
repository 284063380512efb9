namespace PortDoctor.Bench.Mapping;

/// <summary>Finds the repository and tools.</summary>
internal static class Repo
{
    /// <summary>The folder holding PortDoctor.slnx, searched upwards from the working folder and from the binary.</summary>
    public static string Root()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PortDoctor.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("PortDoctor.slnx not found above the working folder; run from inside the repository.");
    }

    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Concat(["/usr/sbin", "/sbin"])
            .Any(d => File.Exists(Path.Combine(d, tool)));
}
