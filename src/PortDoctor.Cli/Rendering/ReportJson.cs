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

/// <summary>The --json shape of a usage or environment error.</summary>
/// <param name="Error">Stable id: "usage" or "environment".</param>
/// <param name="Message">What is wrong and the fix.</param>
/// <param name="ExitCode">The exit code.</param>
internal sealed record ErrorReport(string Error, string Message, int ExitCode);
