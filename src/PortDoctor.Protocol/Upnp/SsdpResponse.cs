namespace PortDoctor.Protocol.Upnp;

/// <summary>An SSDP search response (UPnP Device Architecture 1.1 §1.3.3), as parsed by <see cref="SsdpResponseParser"/>.</summary>
/// <param name="StatusCode">The HTTP status code of the status line; always 200 for an accepted reply.</param>
/// <param name="Location">LOCATION: the absolute http URL of the root device description.</param>
/// <param name="SearchTarget">ST: the search target this reply answers.</param>
/// <param name="UniqueServiceName">USN, or null when absent.</param>
/// <param name="Server">SERVER, or null when absent.</param>
/// <param name="Headers">Every header, names compared without regard to case, values trimmed; the first of duplicates wins.</param>
public sealed record SsdpResponse(
    int StatusCode,
    Uri Location,
    string SearchTarget,
    string? UniqueServiceName,
    string? Server,
    IReadOnlyDictionary<string, string> Headers);
