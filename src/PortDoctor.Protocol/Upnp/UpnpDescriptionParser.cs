using System.Diagnostics.CodeAnalysis;
using System.Xml;
using System.Xml.Linq;

namespace PortDoctor.Protocol.Upnp;

/// <summary>
/// Parses a root device description (UPnP Device Architecture 1.1 §2.3) into an
/// <see cref="UpnpDeviceDescription"/>. Elements are matched by local name, with or without the
/// <c>urn:schemas-upnp-org:device-1-0</c> namespace (docs/quirks.md#Q-DESC-URLBASE) and in the DSL Forum TR-064 variant.
/// The input is hostile: size-capped, no DTD, no external resolution. Never throws on malformed input.
/// </summary>
public static class UpnpDescriptionParser
{
    /// <summary>The largest description accepted, in bytes (and characters for string input): 64 KiB.
    /// Real IGD descriptions are 2–15 KiB.</summary>
    public const int MaxDescriptionBytes = 64 * 1024;

    /// <summary>Parses a description from raw bytes (encoding taken from the XML declaration or BOM).</summary>
    /// <param name="xml">The document bytes.</param>
    /// <param name="location">The LOCATION URL it was fetched from; the base for relative URLs when there is no URLBase.</param>
    /// <param name="description">The result when true.</param>
    /// <param name="error">Why it was rejected when false.</param>
    /// <returns>True when the document is a well-formed device description. It may still have no WAN service:
    /// check <see cref="UpnpDeviceDescription.PreferredService"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="location"/> is null.</exception>
    public static bool TryRead(ReadOnlySpan<byte> xml, Uri location, [NotNullWhen(true)] out UpnpDeviceDescription? description, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(location);
        description = null;
        if (xml.Length > MaxDescriptionBytes)
        {
            error = $"the device description is {xml.Length} bytes, more than the {MaxDescriptionBytes}-byte limit";
            return false;
        }

        byte[] bytes = xml.ToArray();
        return TryLoad(() => XmlReader.Create(new MemoryStream(bytes, writable: false), UpnpXml.HostileSettings(MaxDescriptionBytes)), location, out description, out error);
    }

    /// <summary>Parses a description from text.</summary>
    /// <param name="xml">The document text.</param>
    /// <param name="location">The LOCATION URL it was fetched from.</param>
    /// <param name="description">The result when true.</param>
    /// <param name="error">Why it was rejected when false.</param>
    /// <returns>True when the document is a well-formed device description.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="location"/> is null.</exception>
    public static bool TryRead(string? xml, Uri location, [NotNullWhen(true)] out UpnpDeviceDescription? description, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(location);
        description = null;
        if (string.IsNullOrEmpty(xml))
        {
            error = "the device description is empty";
            return false;
        }

        if (xml.Length > MaxDescriptionBytes)
        {
            error = $"the device description is {xml.Length} characters, more than the {MaxDescriptionBytes} limit";
            return false;
        }

        return TryLoad(() => XmlReader.Create(new StringReader(xml), UpnpXml.HostileSettings(MaxDescriptionBytes)), location, out description, out error);
    }

    private static bool TryLoad(Func<XmlReader> open, Uri location, [NotNullWhen(true)] out UpnpDeviceDescription? description, [NotNullWhen(false)] out string? error)
    {
        description = null;
        XDocument document;
        try
        {
            using XmlReader reader = open();
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            error = UpnpXml.Describe(ex, "device description");
            return false;
        }

        XElement? root = document.Root;
        if (root is null || root.Name.LocalName != "root")
        {
            error = $"the document element is <{root?.Name.LocalName}>, not <root>: this is not a UPnP device description";
            return false;
        }

        XElement? device = Child(root, "device");
        if (device is null)
        {
            error = "the description has no <device> element";
            return false;
        }

        Uri baseUri = location;
        Uri? urlBase = null;
        string? urlBaseText = Text(root, "URLBase");
        if (urlBaseText is not null && Uri.TryCreate(urlBaseText, UriKind.Absolute, out Uri? parsedBase) && parsedBase.Scheme == Uri.UriSchemeHttp)
        {
            urlBase = parsedBase;
            baseUri = parsedBase;
        }

        var services = new List<WanConnectionService>();
        foreach (XElement service in device.Descendants().Where(e => e.Name.LocalName == "service"))
        {
            string? type = Text(service, "serviceType");
            string? control = Text(service, "controlURL");
            if (WanConnectionService.TryClassify(type, out WanConnectionKind kind) && control is not null && TryResolve(baseUri, control, out Uri? controlUrl))
            {
                services.Add(new WanConnectionService(type!, kind, controlUrl, Text(service, "serviceId")));
            }
        }

        description = new UpnpDeviceDescription(
            Text(device, "deviceType"),
            Text(device, "friendlyName"),
            Text(device, "manufacturer"),
            Text(device, "modelName"),
            Text(device, "modelNumber"),
            Text(device, "UDN"),
            urlBase,
            [.. services.OrderBy(s => s.Kind)]);
        error = null;
        return true;
    }

    /// <summary>
    /// Resolves a control URL against a base per RFC 3986 §5.2: an absolute http URL wins; a relative one
    /// (with or without a leading slash) is merged with the base; the query string is kept.
    /// </summary>
    /// <param name="baseUri">URLBase, else LOCATION.</param>
    /// <param name="reference">The controlURL text.</param>
    /// <param name="resolved">The absolute http URL when true.</param>
    /// <returns>False for other schemes and unparseable text.</returns>
    internal static bool TryResolve(Uri baseUri, string reference, [NotNullWhen(true)] out Uri? resolved)
    {
        resolved = null;
        string text = reference.Trim();
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            // Checked by prefix: on Unix "/ctl" would otherwise parse as an absolute file: URI.
            Uri.TryCreate(text, UriKind.Absolute, out resolved);
        }
        else if (!text.Contains("://", StringComparison.Ordinal))
        {
            Uri.TryCreate(baseUri, text, out resolved);
        }

        if (resolved is null || resolved.Scheme != Uri.UriSchemeHttp)
        {
            resolved = null;
            return false;
        }

        return true;
    }

    private static XElement? Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static string? Text(XElement parent, string localName)
    {
        string? value = Child(parent, localName)?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
