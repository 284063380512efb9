namespace PortDoctor.Core.Mapping;

/// <summary>One mapper's turn in <see cref="MapperFallback.MapAsync"/>: its outcome, or why it declined.</summary>
/// <param name="Mapper">The mapper.</param>
/// <param name="Outcome">What it answered; null when it declined.</param>
/// <param name="Declined">Why it was not asked (<see cref="IPortMapper.Declines"/>); null when it was asked.</param>
internal sealed record MappingAttempt(IPortMapper Mapper, MappingOutcome? Outcome, MappingFailure? Declined);

/// <summary>The result of trying the mappers in order.</summary>
/// <param name="Outcome">The successful outcome, else the last failure (or the last refusal when every mapper declined).</param>
/// <param name="Mapper">The mapper that succeeded, else the last one asked; null when none was asked.</param>
/// <param name="Attempts">Every turn, in order.</param>
internal sealed record FallbackResult(MappingOutcome Outcome, IPortMapper? Mapper, IReadOnlyList<MappingAttempt> Attempts);

/// <summary>
/// Maps a port with the best mapper and falls back to the next when one fails, in the order the probe found them
/// (PCP, NAT-PMP, UPnP IGD). Which protocol a mapper speaks does not matter here: a mapper that will not take a
/// request says so (<see cref="IPortMapper.Declines"/>), and one that knows a better way on the same gateway offers it
/// (<see cref="IPortMapper.FallbackAfter"/>), which is tried next unless a mapper of that protocol is queued already.
/// </summary>
internal static class MapperFallback
{
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
        MappingFailure? lastRefusal = null;
        IPortMapper? lastMapper = null;
        for (int i = 0; i < queue.Count; i++)
        {
            IPortMapper mapper = queue[i];
            if (mapper.Declines(request) is { } refusal)
            {
                attempts.Add(new MappingAttempt(mapper, null, refusal));
                lastRefusal = refusal;
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

            if (mapper.FallbackAfter(outcome) is { } next && !queue.Skip(i + 1).Any(m => m.Method == next.Method))
            {
                queue.Insert(i + 1, next);
            }
        }

        last ??= MappingOutcome.Fail(lastRefusal ?? new NoAnswerFailure(string.Empty, 0));
        return new FallbackResult(last, lastMapper, attempts);
    }
}
