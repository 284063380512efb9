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

    /// <summary>
    /// The portdoctor program the tests run: <c>PORTDOCTOR_BIN</c> when set (for example the NativeAOT
    /// build), else the apphost the build put next to the CLI project, in the configuration these tests
    /// were built in.
    /// </summary>
    public static string PortDoctorBinary
    {
        get
        {
            string? fromEnv = Environment.GetEnvironmentVariable("PORTDOCTOR_BIN");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return fromEnv;
            }

            string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            string path = Path.Combine(Root, "src", "PortDoctor.Cli", "bin", configuration, "net10.0", "portdoctor");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"portdoctor was not built at {path}; build the solution first (dotnet build PortDoctor.slnx).", path);
        }
    }

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
