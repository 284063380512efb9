namespace PortDoctor.Core.Mapping;

/// <summary>UPnP-specific values a mapper exposes so that the journal's intent line can carry them before the request is sent.</summary>
public interface IUpnpDetails
{
    /// <summary>The control URL of the WAN*Connection service in use.</summary>
    Uri ControlUrl { get; }

    /// <summary>The service type URN in use.</summary>
    string ServiceType { get; }
}
