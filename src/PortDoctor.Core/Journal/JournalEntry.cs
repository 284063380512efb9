using System.Text.Json.Serialization;

namespace PortDoctor.Core.Journal;

/// <summary>What a journal line says happened to a change.</summary>
public enum JournalOp
{
    /// <summary>The change is about to be sent (written durably before sending).</summary>
    Intent,

    /// <summary>The change was made; it is held until reverted.</summary>
    Done,

    /// <summary>The change was refused or failed; nothing is held.</summary>
    Failed,

    /// <summary>The change was reverted (or found already gone).</summary>
    Reverted,
}

/// <summary>
/// One change PortDoctor makes, with everything needed to revert it without rediscovery. Strings are
/// used for addresses and URLs so that the on-disk format stays plain and version-stable.
/// </summary>
public sealed record JournalChange
{
    /// <summary>"mapping" (router) or "firewall" (host firewall rule).</summary>
    public required string Kind { get; init; }

    /// <summary>For mappings: the method's wire name (<see cref="Mapping.MappingMethods"/>). For firewall rules: the backend name.</summary>
    public required string Method { get; init; }

    /// <summary>"tcp" or "udp".</summary>
    public required string Protocol { get; init; }

    /// <summary>External port on the router (mappings) or the local port (firewall), 1–65535.</summary>
    public required int ExternalPort { get; init; }

    /// <summary>Internal port on this PC, 1–65535.</summary>
    public int InternalPort { get; init; }

    /// <summary>Internal client (this PC's LAN address) the mapping forwards to.</summary>
    public string? InternalClient { get; init; }

    /// <summary>The gateway's LAN address.</summary>
    public string? Gateway { get; init; }

    /// <summary>Lease in seconds; 0 means permanent (kept until deleted).</summary>
    public long LeaseSeconds { get; init; }

    /// <summary>UPnP control URL of the WAN*Connection service.</summary>
    public string? ControlUrl { get; init; }

    /// <summary>UPnP service type URN.</summary>
    public string? ServiceType { get; init; }

    /// <summary>UPnP device description URL.</summary>
    public string? DescriptionUrl { get; init; }

    /// <summary>PCP mapping nonce, 24 hex digits (RFC 6887 §11.1).</summary>
    public string? PcpNonce { get; init; }

    /// <summary>Firewall rule handle or name, for removal.</summary>
    public string? RuleHandle { get; init; }

    /// <summary>
    /// What makes two entries the same change on the router or firewall. Running <c>open</c> again refreshes the same
    /// mapping and journals it again: one removal reverts them all, and <c>status</c> shows them as one.
    /// </summary>
    /// <returns>Kind, method, gateway, protocol and external port.</returns>
    public (string Kind, string Method, string? Gateway, string Protocol, int ExternalPort) Target() =>
        (Kind, Method, Gateway, Protocol, ExternalPort);
}

/// <summary>One line of the journal file.</summary>
public sealed record JournalEntry
{
    /// <summary>Record format version; readers refuse versions newer than <see cref="ChangeJournal.FormatVersion"/>.</summary>
    [JsonPropertyName("v")]
    public required int Version { get; init; }

    /// <summary>Identifies the change across its intent/done/failed/reverted lines.</summary>
    public required string Id { get; init; }

    /// <summary>What happened.</summary>
    public required JournalOp Op { get; init; }

    /// <summary>When it was written (UTC).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The change; present on every line so that any line alone is enough to revert.</summary>
    public required JournalChange Change { get; init; }

    /// <summary>Why it failed, on <see cref="JournalOp.Failed"/> lines.</summary>
    public string? Error { get; init; }
}

/// <summary>Source-generated JSON metadata for the journal (NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(JournalEntry))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
