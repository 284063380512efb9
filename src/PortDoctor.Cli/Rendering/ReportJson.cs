using System.Text.Json.Serialization;

namespace PortDoctor.Cli.Rendering;

/// <summary>Source-generated JSON for everything the CLI prints with --json (NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(JsonCommandReport))]
[JsonSerializable(typeof(JsonStatusReport))]
[JsonSerializable(typeof(JsonDiagnoseReport))]
[JsonSerializable(typeof(ErrorReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

/// <summary>The --json shape of an error, and of a run stopped by --timeout or interrupted.</summary>
/// <param name="Error">Stable id: "usage", "environment", "timeout" or "interrupted".</param>
/// <param name="Message">What is wrong and the fix.</param>
/// <param name="ExitCode">The exit code.</param>
internal sealed record ErrorReport(string Error, string Message, int ExitCode)
{
    /// <summary>For a stopped run: the checklist steps decided before it stopped.</summary>
    public IReadOnlyList<JsonStep>? Steps { get; init; }

    /// <summary>For a stopped diagnose: the findings made before it stopped.</summary>
    public IReadOnlyList<JsonFinding>? Findings { get; init; }

    /// <summary>For an interrupted run: what PortDoctor holds now (the journal's outstanding changes).</summary>
    public IReadOnlyList<Core.Reports.HeldChange>? Held { get; init; }
}
