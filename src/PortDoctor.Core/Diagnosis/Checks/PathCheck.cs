using System.Net;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Net;

namespace PortDoctor.Core.Diagnosis.Checks;

/// <summary>
/// The path to the internet: a second NAT router (<c>double-nat</c>, RFC 1918) or the ISP's carrier-grade
/// NAT (<c>cgnat</c>, RFC 6598 100.64.0.0/10, or a global router address the internet does not see), judged from the
/// router's external address, the public address and the hops; <c>external-address</c> when there is nothing to compare.
/// </summary>
internal static class PathCheck
{
    /// <summary>Judges the path.</summary>
    /// <param name="f">Where findings go.</param>
    /// <param name="gw">The gateway and this PC's address.</param>
    /// <param name="external">The router's external address; null when unknown.</param>
    /// <param name="publicAddress">The address the internet sees; null when unknown.</param>
    /// <param name="hops">Who answered each TTL.</param>
    /// <param name="reachable">True when the outside check reached the port: a second NAT is then only a warning (the outer router forwards too).</param>
    public static void Report(FindingList f, GatewayInfo gw, IPAddress? external, IPAddress? publicAddress, IReadOnlyList<IPAddress?> hops, bool reachable)
    {
        if (NetworkCheck.IsPublicHost(gw))
        {
            return;
        }

        // Hops after the first (the home router itself): a private one means a second NAT router, a 100.64/10 one the ISP's NAT.
        var beyond = hops.Skip(1).Where(h => h is not null && !h.Equals(gw.Gateway)).Select(h => h!).ToList();
        var secondPrivate = beyond.FirstOrDefault(h => AddressClass.Classify(h) == AddressKind.Private);
        var carrierHop = beyond.FirstOrDefault(h => AddressClass.Classify(h) == AddressKind.CarrierGradeNat);
        var externalKind = external is null ? (AddressKind?)null : AddressClass.Classify(external);
        var severity = reachable ? Severity.Warning : Severity.Fault;

        if (externalKind == AddressKind.CarrierGradeNat || carrierHop is not null)
        {
            f.Add(FindingIds.Cgnat, severity, Text.Of("Diag.Cgnat", (object?)external?.ToString() ?? carrierHop!.ToString(), (object?)publicAddress?.ToString() ?? Text.Of("Common.Unknown")),
                Text.Of("Diag.Fix.Cgnat"),
                ("externalAddress", external?.ToString() ?? ""), ("carrierHop", carrierHop?.ToString() ?? ""), ("publicAddress", publicAddress?.ToString() ?? ""));
            return;
        }

        if (externalKind == AddressKind.Private || secondPrivate is not null)
        {
            var second = secondPrivate?.ToString() ?? external!.ToString();
            f.Add(FindingIds.DoubleNat, severity, Text.Of("Diag.DoubleNat", gw.Gateway, second, (object?)external?.ToString() ?? Text.Of("Common.Unknown")),
                Text.Of("Diag.Fix.DoubleNat", second),
                ("firstRouter", gw.Gateway.ToString()), ("secondRouter", second), ("externalAddress", external?.ToString() ?? ""));
            return;
        }

        if (externalKind == AddressKind.Public && publicAddress is not null && !publicAddress.Equals(external))
        {
            // The router has a global address but the internet sees another: the ISP translates again.
            f.Add(FindingIds.Cgnat, severity, Text.Of("Diag.PublicDiffers", external!, publicAddress), Text.Of("Diag.Fix.Cgnat"),
                ("externalAddress", external!.ToString()), ("publicAddress", publicAddress.ToString()));
            return;
        }

        if (external is null && !reachable && publicAddress is not null && hops.Count == 0)
        {
            // Nothing to compare with: say so rather than guess.
            f.Info(FindingIds.ExternalAddress, Text.Of("Diag.ExternalUnknown"));
        }
    }
}
