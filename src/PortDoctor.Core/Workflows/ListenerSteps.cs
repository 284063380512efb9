using System.Globalization;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Ports;
using PortDoctor.Core.Reports;

namespace PortDoctor.Core.Workflows;

/// <summary>The "who listens on the port" checklist line (one port serves one program: README.md, "Commands").</summary>
internal static class ListenerSteps
{
    /// <summary>Looks up the owners of <paramref name="port"/> and describes them.</summary>
    /// <param name="lookup">The OS lookup.</param>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="port">The port.</param>
    /// <param name="listens">True when at least one socket is bound to the port.</param>
    /// <returns>The checklist step.</returns>
    public static ChecklistStep Describe(IPortOwnerLookup lookup, TransportProtocol protocol, int port, out bool listens) =>
        Describe(lookup, protocol, port, null, out listens);

    /// <summary>Looks up the owners of <paramref name="port"/>; when <paramref name="programPath"/> is given, another owner is a failure with free ports to use instead.</summary>
    /// <param name="lookup">The OS lookup.</param>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="port">The port.</param>
    /// <param name="programPath">The program that should own the port (<c>--program</c>), or null.</param>
    /// <param name="listens">True when at least one socket is bound to the port.</param>
    /// <returns>The checklist step.</returns>
    public static ChecklistStep Describe(IPortOwnerLookup lookup, TransportProtocol protocol, int port, string? programPath, out bool listens)
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
        if (programPath is not null && !distinct.Any(o => SameProgram(o, programPath)))
        {
            // One port, one program (the guide's rule): the wanted program cannot listen here while another does.
            string holders = string.Join("; ", distinct.Select(o => o.ProcessId is int holderPid
                ? string.Create(CultureInfo.InvariantCulture, $"{o.ProcessName ?? "?"} (pid {holderPid}{(o.ExecutablePath is null ? "" : ", " + o.ExecutablePath)})")
                : "?"));
            var free = FreePorts(lookup, [protocol], port, 3);
            return new ChecklistStep(id, StepStatus.Failed, Text.Of("Listener.TakenByOther", portText, holders, programPath, string.Join(", ", free)),
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["listening"] = "true",
                    ["owner"] = holders,
                    ["wanted"] = programPath,
                    ["freePorts"] = string.Join(",", free),
                });
        }

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

    /// <summary>Ports in 1024–65535 that nothing is bound to for any of <paramref name="protocols"/>, nearest above <paramref name="near"/> first.</summary>
    /// <param name="lookup">The OS lookup.</param>
    /// <param name="protocols">The protocols that must all be free.</param>
    /// <param name="near">Where to start looking.</param>
    /// <param name="count">How many to return, 1–10.</param>
    /// <returns>Up to <paramref name="count"/> free ports.</returns>
    public static IReadOnlyList<int> FreePorts(IPortOwnerLookup lookup, IReadOnlyList<TransportProtocol> protocols, int near, int count)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(protocols);
        var free = new List<int>(count);
        int start = Math.Max(Inputs.PortInput.FirstRegisteredPort, near + 1);
        var candidates = Enumerable.Range(start, 65536 - start).Concat(Enumerable.Range(Inputs.PortInput.FirstRegisteredPort, Math.Max(0, start - Inputs.PortInput.FirstRegisteredPort)));
        foreach (int candidate in candidates)
        {
            if (candidate != near && protocols.All(p => lookup.FindOwners(p, candidate).Count == 0))
            {
                free.Add(candidate);
                if (free.Count == count)
                {
                    break;
                }
            }
        }

        return free;
    }

    private static bool SameProgram(PortOwner owner, string programPath)
    {
        if (owner.ExecutablePath is null)
        {
            // Without the path (another user's process) only the name can be compared.
            return owner.ProcessName is not null
                && string.Equals(Path.GetFileNameWithoutExtension(programPath), owner.ProcessName, StringComparison.OrdinalIgnoreCase);
        }

        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return string.Equals(Path.GetFullPath(owner.ExecutablePath), Path.GetFullPath(programPath), comparison);
    }
}
