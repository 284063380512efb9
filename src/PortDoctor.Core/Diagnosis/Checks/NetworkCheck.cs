using PortDoctor.Core.Localization;
using PortDoctor.Core.Net;

namespace PortDoctor.Core.Diagnosis.Checks;

/// <summary>The IPv4 default gateway and this PC's address toward it: <c>network</c>, <c>public-host</c>, <c>no-network</c>.</summary>
internal static class NetworkCheck
{
    /// <summary>Reports the first gateway, or that there is none.</summary>
    /// <param name="f">Where findings go.</param>
    /// <param name="gateways">The gateways found, preferred first.</param>
    /// <returns>The gateway diagnose works with; null when there is no network (then nothing else can be checked).</returns>
    public static GatewayInfo? Run(FindingList f, IReadOnlyList<GatewayInfo> gateways)
    {
        if (gateways.Count == 0)
        {
            f.Fault(FindingIds.NoNetwork, Text.Of("Network.NoGateway"), Text.Of("Diag.Fix.Connect"));
            return null;
        }

        var gw = gateways[0];
        f.Info(FindingIds.Network, Text.Of("Network.Found", gw.LocalAddress, gw.InterfaceName, gw.Gateway),
            ("lanAddress", gw.LocalAddress.ToString()), ("gateway", gw.Gateway.ToString()), ("interface", gw.InterfaceName));
        if (IsPublicHost(gw))
        {
            f.Info(FindingIds.PublicHost, Text.Of("Diag.PublicHost", gw.LocalAddress), ("lanAddress", gw.LocalAddress.ToString()));
        }

        return gw;
    }

    /// <summary>True when this PC itself has a global address: no router translates in front of it.</summary>
    /// <param name="gw">The gateway and this PC's address toward it.</param>
    /// <returns>True for a public host.</returns>
    public static bool IsPublicHost(GatewayInfo gw) => AddressClass.IsPublic(gw.LocalAddress);
}
