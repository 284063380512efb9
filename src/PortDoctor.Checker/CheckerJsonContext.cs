using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace PortDoctor.Checker;

/// <summary>
/// Source-generated JSON metadata for the framework types the checker writes or describes (problem details,
/// plain strings), so that serialisation and the OpenAPI document need no reflection under NativeAOT.
/// </summary>
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(string))]
internal sealed partial class CheckerJsonContext : JsonSerializerContext;
