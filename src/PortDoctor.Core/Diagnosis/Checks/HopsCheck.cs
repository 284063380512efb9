using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Diagnosis.Checks;

/// <summary>The first routers on the path toward the internet (a short traceroute toward the STUN server or the checker); <c>hops</c>.</summary>
internal static class HopsCheck
{
    /// <summary>How many hops to trace: PC → router → (second router / carrier NAT) → beyond.</summary>
    public const int HopsToTrace = 4;

    /// <summary>Where the path leads: the first STUN server, else the checker's host (IPv4: the hop probe is ICMPv4).</summary>
    /// <param name="context">The seams (checker, resolver).</param>
    /// <param name="options">What to diagnose.</param>
    /// <param name="cancellationToken">The diagnose budget.</param>
    /// <returns>The target; null when there is none or the checker's name does not resolve.</returns>
    public static async Task<IPAddress?> TargetAsync(WorkflowContext context, DiagnoseOptions options, CancellationToken cancellationToken)
    {
        if (options.StunServers.Count > 0)
        {
            return options.StunServers[0].Address;
        }

        if (context.Checker?.Endpoint.BaseUri is not Uri checker)
        {
            return null;
        }

        if (HostNames.TryParseLiteral(checker.Host, out var address))
        {
            return address;
        }

        var addresses = await HostNames.ResolveAsync(context.HostResolver, checker.Host, AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false);
        return addresses is { Count: > 0 } ? addresses[0] : null;
    }

    /// <summary>Traces the path to <paramref name="target"/>; nothing without a hop probe or a target.</summary>
    /// <param name="hops">The hop probe; null to skip.</param>
    /// <param name="target">Where the path leads.</param>
    /// <param name="cancellationToken">The diagnose budget.</param>
    /// <returns>Who answered each TTL (index 0 = TTL 1); empty when nothing was traced.</returns>
    public static Task<IReadOnlyList<IPAddress?>> TraceAsync(IHopProbe? hops, IPAddress? target, CancellationToken cancellationToken) =>
        hops is not null && target is not null
            ? hops.TraceAsync(target, HopsToTrace, cancellationToken)
            : Task.FromResult<IReadOnlyList<IPAddress?>>([]);

    /// <summary>Reports the hops up to the target.</summary>
    /// <param name="f">Where findings go.</param>
    /// <param name="target">Where the path led.</param>
    /// <param name="hopList">Who answered each TTL.</param>
    public static void Report(FindingList f, IPAddress? target, IReadOnlyList<IPAddress?> hopList)
    {
        if (hopList.Count == 0)
        {
            return;
        }

        // Once the target answers, further TTLs only repeat it.
        int reached = target is null ? -1 : hopList.ToList().FindIndex(h => target.Equals(h));
        var found = (reached >= 0 ? hopList.Take(reached + 1) : hopList).Select(h => h?.ToString() ?? "*").ToList();
        f.Info(FindingIds.Hops, Text.Of("Diag.Hops", string.Join(" → ", found)), ("hops", string.Join(",", found)));
    }
}
