using System.Globalization;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Ports;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Diagnosis.Checks;

/// <summary>Who listens on the port: <c>listener</c>, <c>nothing-listening</c>.</summary>
internal static class ListenerCheck
{
    /// <summary>Looks up the port's owners and reports them, or that nothing serves the port.</summary>
    /// <param name="f">Where findings go.</param>
    /// <param name="owners">The OS lookup.</param>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="port">The port.</param>
    /// <returns>True when a program listens (then the outside check needs no temporary responder).</returns>
    public static bool Run(FindingList f, IPortOwnerLookup owners, TransportProtocol protocol, int port)
    {
        var listener = ListenerSteps.Describe(owners, protocol, port, out bool listens);
        if (listens)
        {
            f.Info(FindingIds.Listener, listener.Message, [.. listener.Evidence!.Select(p => (p.Key, p.Value))]);
        }
        else
        {
            f.Fault(FindingIds.NothingListening, Text.Of("Diag.NothingListening", port, protocol.ToCli()), Text.Of("Diag.Fix.StartProgram"),
                ("port", port.ToString(CultureInfo.InvariantCulture)));
        }

        return listens;
    }
}
