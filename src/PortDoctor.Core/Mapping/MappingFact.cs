namespace PortDoctor.Core.Mapping;

/// <summary>
/// Something a mapper found out, as data: why a request failed (<see cref="MappingFailure"/>) or what is worth
/// telling about one that worked (<see cref="MappingNote"/>). The localizer turns facts into sentences
/// (<see cref="Localization.MappingTexts"/>); code decides on their types and values, never on text.
/// </summary>
public abstract record MappingFact
{
    /// <summary>A stable machine name ("no-answer", "upnp-fault", …) for the journal and <c>--json</c> evidence.
    /// Nothing parses it back.</summary>
    public abstract string Code { get; }

    /// <summary>The protocol's own number for this fact (PCP/NAT-PMP result code, UPnP errorCode), when there is one.</summary>
    public virtual int? ProtocolCode => null;

    /// <summary><see cref="Code"/> and <see cref="ProtocolCode"/> as one machine string, e.g. "upnp-fault 718".</summary>
    /// <returns>The machine string.</returns>
    public string MachineName() =>
        ProtocolCode is int code ? Code + " " + code.ToString(System.Globalization.CultureInfo.InvariantCulture) : Code;
}

/// <summary>What a mapper was doing when a router answered: mapping, deleting, or looking a mapping up.</summary>
internal enum MappingOperation
{
    /// <summary>Creating or renewing a mapping.</summary>
    Map,

    /// <summary>Deleting a mapping.</summary>
    Delete,

    /// <summary>Reading a mapping back or looking one up.</summary>
    Lookup,
}
