using System.Text.Json;
using PortDoctor.Integration.Tests.Harness;

namespace PortDoctor.Integration.Tests;

/// <summary>Runs the real portdoctor program inside a testbed host, with a state folder of its own.</summary>
internal sealed class PortDoctorRun : IDisposable
{
    private readonly Testbed _tb;

    public PortDoctorRun(Testbed tb)
    {
        _tb = tb;
        StateDir = Directory.CreateTempSubdirectory("pd-it-state-").FullName;
    }

    public string StateDir { get; }

    public string Checker => _tb.CheckerUrl;

    /// <summary>The checker command for <see cref="Testbed.UpAsync"/>: portdoctor serve on the inet host.</summary>
    public static string CheckerCommand =>
        $"{RepoPaths.PortDoctorBinary} serve --urls http://11.0.0.1:8088 --allow-private";

    public Task<CommandResult> RunAsync(Host host, params string[] args) =>
        _tb.ExecWithTimeoutAsync(host, TimeSpan.FromSeconds(60), RepoPaths.PortDoctorBinary, [.. args, "--state-dir", StateDir, .. (args.Contains("--lang") ? Array.Empty<string>() : ["--lang", "en"])]);

    public Task<CommandResult> RunAsync(params string[] args) => RunAsync(Host.Pc, args);

    public async Task<(CommandResult Result, JsonElement Json)> RunJsonAsync(params string[] args)
    {
        var result = await RunAsync([.. args, "--json"]);
        using var doc = JsonDocument.Parse(result.StandardOutput);
        return (result, doc.RootElement.Clone());
    }

    public static JsonElement Step(JsonElement report, string id) =>
        report.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);

    public void Dispose()
    {
        try
        {
            Directory.Delete(StateDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }
}
