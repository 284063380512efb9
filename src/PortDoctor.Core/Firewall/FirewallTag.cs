using System.Globalization;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Firewall;

/// <summary>
/// The tag PortDoctor puts in the comment/name of every rule it adds ("portdoctor:8080/tcp"), so that
/// removal touches only rules that carry it.
/// </summary>
internal static class FirewallTag
{
    /// <summary>The common prefix of every tag.</summary>
    public const string Prefix = "portdoctor";

    /// <summary>The tag for one port: "portdoctor:8080/tcp".</summary>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="port">The port.</param>
    /// <returns>The tag.</returns>
    public static string For(TransportProtocol protocol, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}:{port}/{protocol.ToCli()}");

    /// <summary>True when <paramref name="comment"/> is exactly the tag for this port and protocol.</summary>
    /// <param name="comment">A rule's comment, or null.</param>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="port">The port.</param>
    /// <returns>True for our rule.</returns>
    public static bool Matches(string? comment, TransportProtocol protocol, int port) =>
        string.Equals(comment?.Trim(), For(protocol, port), StringComparison.OrdinalIgnoreCase);
}
