using System.Globalization;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Diagnosis.Checks;

/// <summary>
/// The router's table entry for the port, when UPnP could list it: <c>mapping</c>, <c>no-mapping</c>,
/// <c>stale-mapping</c> (forwarded to another LAN address, typically this PC's old DHCP one), <c>mapping-conflict</c>.
/// </summary>
internal static class MappingCheck
{
    /// <summary>Judges the entry.</summary>
    /// <param name="f">Where findings go.</param>
    /// <param name="gw">The gateway and this PC's address.</param>
    /// <param name="options">What was diagnosed.</param>
    /// <param name="router">What the router said; nothing is judged unless its table was read.</param>
    /// <param name="reachable">True when the outside check reached the port: a missing entry is then no fault.</param>
    public static void Report(FindingList f, GatewayInfo gw, DiagnoseOptions options, RouterCheck.Facts router, bool reachable)
    {
        if (options.Port is not int port || !router.MappingKnown)
        {
            return;
        }

        string p = options.Protocol.ToCli();
        if (router.Mapping is not { } mapping)
        {
            if (reachable)
            {
                f.Info(FindingIds.Mapping, Text.Of("Diag.NoMappingButReachable", port, p));
            }
            else
            {
                f.Fault(FindingIds.NoMapping, Text.Of("Diag.NoMapping", port, p), Text.Of("Diag.Fix.Open", port, p), ("port", port.ToString(CultureInfo.InvariantCulture)));
            }

            return;
        }

        var evidence = new (string, string)[]
        {
            ("internalClient", mapping.InternalClient.ToString()),
            ("internalPort", mapping.InternalPort.ToString(CultureInfo.InvariantCulture)),
            ("thisPc", gw.LocalAddress.ToString()),
            ("leaseSeconds", ((long)mapping.Lease.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
        };
        if (!mapping.InternalClient.Equals(gw.LocalAddress))
        {
            bool onLan = gw.IsOnLocalSubnet(mapping.InternalClient);
            f.Fault(onLan ? FindingIds.StaleMapping : FindingIds.MappingConflict,
                Text.Of("Diag.StaleMapping", port, p, mapping.InternalClient, mapping.InternalPort, gw.LocalAddress),
                Text.Of("Diag.Fix.StaleMapping", port, p, mapping.InternalClient, gw.LocalAddress, gw.Gateway), evidence);
        }
        else if (mapping.InternalPort != port)
        {
            f.Fault(FindingIds.MappingConflict, Text.Of("Diag.MappingOtherPort", port, p, mapping.InternalPort), Text.Of("Diag.Fix.MappingOtherPort", port, p), evidence);
        }
        else
        {
            f.Info(FindingIds.Mapping, Text.Of("Diag.MappingFine", port, p, mapping.InternalClient, mapping.InternalPort, OpenWorkflow.LeaseText(mapping.Lease)), evidence);
        }
    }
}
