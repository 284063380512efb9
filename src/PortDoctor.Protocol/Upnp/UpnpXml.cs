using System.Xml;

namespace PortDoctor.Protocol.Upnp;

/// <summary>XML reader settings for documents that come from routers, which we treat as hostile.</summary>
internal static class UpnpXml
{
    /// <summary>The deepest element nesting read from a router's SOAP answer: a real one nests five deep, so
    /// 32 leaves room for odd envelopes while a nesting bomb stops early.</summary>
    public const int MaxElementDepth = 32;

    /// <summary>
    /// No DTD (a DOCTYPE is an error, so no entity expansion), no external resolution, a character cap.
    /// </summary>
    /// <param name="maxCharacters">The most characters the reader may read.</param>
    /// <param name="ignoreWhitespace">False where a whitespace-only value must survive (SOAP arguments).</param>
    /// <returns>Fresh settings.</returns>
    public static XmlReaderSettings HostileSettings(long maxCharacters, bool ignoreWhitespace = true) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = ignoreWhitespace,
        CloseInput = true,
    };

    /// <summary>The part of a qualified name after the last colon.</summary>
    /// <param name="name">A name, with or without prefix.</param>
    /// <returns>The local part.</returns>
    public static string LocalPart(string name)
    {
        int colon = name.LastIndexOf(':');
        return colon < 0 ? name : name[(colon + 1)..];
    }

    /// <summary>Turns a reader failure into a message naming the problem.</summary>
    /// <param name="ex">The exception the reader threw.</param>
    /// <param name="what">What was being read, e.g. "device description".</param>
    /// <returns>The message.</returns>
    public static string Describe(XmlException ex, string what) =>
        ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
            ? $"the {what} contains a DTD (<!DOCTYPE>), which is refused for security"
            : $"the {what} is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}): {SsdpResponseParser.Printable(ex.Message)}";
}
