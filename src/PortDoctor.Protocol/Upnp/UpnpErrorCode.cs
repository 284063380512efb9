namespace PortDoctor.Protocol.Upnp;

/// <summary>
/// UPnP error codes from a SOAP fault's <c>&lt;UPnPError&gt;&lt;errorCode&gt;</c> (UDA 1.1 §3.2.2 and
/// WANIPConnection:2 §2.4). Values are the numbers on the wire; anything else is <see cref="Unknown"/>
/// and <see cref="UpnpFault.RawCode"/> keeps the number.
/// </summary>
public enum UpnpErrorCode
{
    /// <summary>A code not listed here, or a fault without an errorCode; see <see cref="UpnpFault.RawCode"/>.</summary>
    Unknown = 0,

    /// <summary>401 Invalid Action: the service does not implement the action (e.g. AddAnyPortMapping on IGD:1).</summary>
    InvalidAction = 401,

    /// <summary>402 Invalid Args: some routers use it to refuse a lease value (docs/quirks.md#Q-UPNP-LEASE-FAULTS).</summary>
    InvalidArgs = 402,

    /// <summary>501 Action Failed.</summary>
    ActionFailed = 501,

    /// <summary>606 Action not authorized: mapping changes are disabled, or not allowed for this client (docs/quirks.md#Q-UPNP-606).</summary>
    ActionNotAuthorized = 606,

    /// <summary>713 SpecifiedArrayIndexInvalid: GetGenericPortMappingEntry ran past the end of the table.</summary>
    SpecifiedArrayIndexInvalid = 713,

    /// <summary>714 NoSuchEntryInArray: no mapping for that port and protocol.</summary>
    NoSuchEntryInArray = 714,

    /// <summary>715 WildCardNotPermittedInSrcIP.</summary>
    WildCardNotPermittedInSrcIP = 715,

    /// <summary>716 WildCardNotPermittedInExtPort.</summary>
    WildCardNotPermittedInExtPort = 716,

    /// <summary>718 ConflictInMappingEntry: the port is mapped to another client (or, in secure mode, the internal client is not the sender).</summary>
    ConflictInMappingEntry = 718,

    /// <summary>724 SamePortValuesRequired: internal and external port must be equal.</summary>
    SamePortValuesRequired = 724,

    /// <summary>725 OnlyPermanentLeasesSupported: the lease must be 0.</summary>
    OnlyPermanentLeasesSupported = 725,

    /// <summary>726 RemoteHostOnlySupportsWildcard.</summary>
    RemoteHostOnlySupportsWildcard = 726,

    /// <summary>727 ExternalPortOnlySupportsWildcard.</summary>
    ExternalPortOnlySupportsWildcard = 727,

    /// <summary>728 NoPortMapsAvailable (IGD:2): the router's table is full.</summary>
    NoPortMapsAvailable = 728,

    /// <summary>729 ConflictWithOtherMechanisms (IGD:2): the port is used by another mechanism (e.g. a static forward).</summary>
    ConflictWithOtherMechanisms = 729,

    /// <summary>732 WildCardNotPermittedInIntPort (IGD:2).</summary>
    WildCardNotPermittedInIntPort = 732,
}
