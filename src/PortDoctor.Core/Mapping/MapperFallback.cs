using System.Globalization;
using PortDoctor.Core.Pcp;

namespace PortDoctor.Core.Mapping;

/// <summary>One mapper's turn in <see cref="MapperFallback.MapAsync"/>: its outcome, or why it was not asked.</summary>
/// <param name="Mapper">The mapper.</param>
/// <param name="Outcome">What it answered; null when it was skipped.</param>
/// <param name="SkippedBecause">Why it was not asked (English, for the checklist detail); null when it was asked.</param>
public sealed record MappingAttempt(IPortMapper Mapper, MappingOutcome? Outcome, string? SkippedBecause);

/// <summary>The result of trying the mappers in order.</summary>
/// <param name="Outcome">The successful outcome, else the last failure (or a failure saying every mapper was skipped).</param>
/// <param name="Mapper">The mapper that succeeded, else the last one asked; null when none was asked.</param>
/// <param name="Attempts">Every turn, in order.</param>
public sealed record FallbackResult(MappingOutcome Outcome, IPortMapper? Mapper, IReadOnlyList<MappingAttempt> Attempts);

/// <summary>
/// Maps a port with the best mapper and falls back to the next when one fails: PCP, NAT-PMP, UPnP IGD in the
/// order the probe found them. A PCP server that turns out to speak only NAT-PMP is replaced by NAT-PMP on the same
/// gateway at once. NAT-PMP and PCP are never asked to map ports below <see cref="LowestPmpPort"/>.
/// </summary>
public static class MapperFallback
{
    /// <summary>
    /// The lowest port NAT-PMP/PCP requests are sent for. miniupnpd, the daemon behind most NAT-PMP/PCP routers,
    /// ships with an allow rule for 1024–65535 only, and asked over NAT-PMP/PCP for a port outside it, it does not
    /// refuse but leaves the client waiting for minutes; UPnP IGD answers such a request with a fault at once.
    /// </summary>
    public const int LowestPmpPort = 1024;

    /// <summary>Says whether <paramref name="mapper"/> may be asked for <paramref name="request"/>.</summary>
    /// <param name="mapper">The mapper.</param>
    /// <param name="request">The request.</param>
    /// <param name="whyNot">Why not (English), when the result is false.</param>
    /// <returns>True when the mapper may be asked.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static bool CanAsk(IPortMapper mapper, MappingRequest request, out string? whyNot)
    {
        ArgumentNullException.ThrowIfNull(mapper);
        ArgumentNullException.ThrowIfNull(request);
        if (mapper.Method is "natpmp" or "pcp" && (request.ExternalPort < LowestPmpPort || request.InternalPort < LowestPmpPort))
        {
            string name = mapper.Method == "pcp" ? "PCP" : "NAT-PMP";
            whyNot = string.Create(
                CultureInfo.InvariantCulture,
                $"{name} is not used for ports below {LowestPmpPort}: routers running miniupnpd with its default 1024–65535 rule leave such requests unanswered for minutes");
            whyNot += "; UPnP IGD or forwarding by hand can map them";
            return false;
        }

        whyNot = null;
        return true;
    }

    /// <summary>Tries <paramref name="mappers"/> in order until one maps <paramref name="request"/>.</summary>
    /// <param name="mappers">The mappers, best first (as <see cref="GatewayProbeResult.Mappers"/>).</param>
    /// <param name="request">What to map.</param>
    /// <param name="map">Sends one mapper's request (the caller journals around it).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The first success, else the last failure, with every attempt.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<FallbackResult> MapAsync(
        IReadOnlyList<IPortMapper> mappers,
        MappingRequest request,
        Func<IPortMapper, MappingRequest, CancellationToken, Task<MappingOutcome>> map,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mappers);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(map);
        var queue = new List<IPortMapper>(mappers);
        var attempts = new List<MappingAttempt>();
        MappingOutcome? last = null;
        IPortMapper? lastMapper = null;
        for (int i = 0; i < queue.Count; i++)
        {
            IPortMapper mapper = queue[i];
            if (!CanAsk(mapper, request, out string? whyNot))
            {
                attempts.Add(new MappingAttempt(mapper, null, whyNot));
                continue;
            }

            MappingOutcome outcome = await map(mapper, request, cancellationToken).ConfigureAwait(false);
            attempts.Add(new MappingAttempt(mapper, outcome, null));
            last = outcome;
            lastMapper = mapper;
            if (outcome.Succeeded)
            {
                return new FallbackResult(outcome, mapper, attempts);
            }

            if (mapper is PcpPortMapper pcp && PcpPortMapper.IsNatPmpOnly(outcome) && !queue.Skip(i + 1).Any(m => m.Method == "natpmp"))
            {
                queue.Insert(i + 1, pcp.NatPmpFallback());
            }
        }

        last ??= MappingOutcome.Fail(MappingFailureKind.RouterError, string.Join("; ", attempts.Select(a => a.SkippedBecause)));
        return new FallbackResult(last, lastMapper, attempts);
    }
}
