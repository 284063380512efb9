namespace PortDoctor.Bench;

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

    /// <summary>
    /// The NativeAOT <c>portdoctor</c> to measure: <paramref name="given"/> when set, else a fresh publish of
    /// <c>src/PortDoctor.Cli</c> into <c>bench/BENCH/bin/aot</c> (needs clang and zlib1g-dev).
    /// </summary>
    /// <param name="given">The path from <c>--binary</c>, or null.</param>
    /// <param name="bench">The bench project's folder name, for the publish folder.</param>
    /// <returns>The binary's full path, or null after printing why there is none.</returns>
    public static async Task<string?> AotBinaryAsync(string? given, string bench)
    {
        string binary;
        if (given is null)
        {
            string outDir = Path.Combine(Root(), "bench", bench, "bin", "aot");
            Console.WriteLine($"Publishing the NativeAOT portdoctor to {outDir} (needs clang and zlib1g-dev) ...");
            Ran publish = await Shell.RunAsync("dotnet", ["publish", Path.Combine(Root(), "src", "PortDoctor.Cli"), "-c", "Release", "-r", "linux-x64", "-o", outDir], TimeSpan.FromMinutes(20)).ConfigureAwait(false);
            if (publish.ExitCode != 0)
            {
                Console.Error.WriteLine(publish.Output);
                return null;
            }

            binary = Path.Combine(outDir, "portdoctor");
        }
        else
        {
            binary = Path.GetFullPath(given);
        }

        if (!File.Exists(binary))
        {
            Console.Error.WriteLine($"{binary} does not exist.");
            return null;
        }

        return binary;
    }

    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Concat(["/usr/sbin", "/sbin"])
            .Any(d => File.Exists(Path.Combine(d, tool)));
}
