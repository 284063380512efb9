namespace PortDoctor.Integration.Tests.Harness;

/// <summary>Locates files of this repository from the test's output folder.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder holding PortDoctor.slnx.</summary>
    /// <exception cref="DirectoryNotFoundException">No ancestor of the test binary holds PortDoctor.slnx.</exception>
    public static string Root => LazyRoot.Value;

    /// <summary>Absolute path of testbed/testbed.sh.</summary>
    public static string TestbedScript => Path.Combine(Root, "testbed", "testbed.sh");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PortDoctor.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException(
            $"PortDoctor.slnx not found in any parent of {AppContext.BaseDirectory}; run the tests from inside the repository.");
    }
}
