using System.Globalization;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Ports;
using PortDoctor.Core.Reports;

namespace PortDoctor.Core.Workflows;

/// <summary>The "who listens on the port" checklist line (PRODUCT.md R1: one port serves one program).</summary>
public static class ListenerSteps
{
    /// <summary>Looks up the owners of <paramref name="port"/> and describes them.</summary>
    /// <param name="lookup">The OS lookup.</param>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="port">The port.</param>
    /// <param name="listens">True when at least one socket is bound to the port.</param>
    /// <returns>The checklist step.</returns>
    public static ChecklistStep Describe(IPortOwnerLookup lookup, TransportProtocol protocol, int port, out bool listens)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var owners = lookup.FindOwners(protocol, port);
        string id = "listener." + protocol.ToCli();
        string portText = string.Create(CultureInfo.InvariantCulture, $"{port}/{protocol.ToCli()}");
        listens = owners.Count > 0;
        if (!listens)
        {
            return new ChecklistStep(id, StepStatus.Warning, Text.Of("Listener.Nothing", portText),
                new Dictionary<string, string>(StringComparer.Ordinal) { ["listening"] = "false" });
        }

        var distinct = owners.GroupBy(o => o.ProcessId).Select(g => g.First()).ToList();
        string who = string.Join("; ", distinct.Select(o => o.ProcessId is int pid
            ? string.Create(CultureInfo.InvariantCulture, $"{o.ProcessName ?? "?"} (pid {pid}{(o.ExecutablePath is null ? "" : ", " + o.ExecutablePath)})")
            : "?"));
        string where = string.Join(", ", owners.Select(o => o.LocalAddress.ToString()).Distinct());
        return new ChecklistStep(id, StepStatus.AlreadyFine, Text.Of("Listener.Found", who, portText, where),
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["listening"] = "true",
                ["processes"] = string.Join(",", distinct.Select(o => o.ProcessName ?? "?")),
                ["pids"] = string.Join(",", distinct.Select(o => o.ProcessId?.ToString(CultureInfo.InvariantCulture) ?? "?")),
                ["addresses"] = where,
            });
    }
}
