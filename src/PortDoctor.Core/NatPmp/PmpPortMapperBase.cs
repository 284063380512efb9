using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Protocol.NatPmp;

namespace PortDoctor.Core.NatPmp;

/// <summary>
/// What the NAT-PMP (RFC 6886) and PCP (RFC 6887) mappers share: a client bound to one IPv4 gateway that maps ports
/// only for the address that asks, reboots told by the server's epoch going back (RFC 6886 §3.6, RFC 6887 §8.5), the
/// low-port refusal, and no way to list or look up mappings.
/// </summary>
/// <typeparam name="TClient">The protocol's client.</typeparam>
internal abstract class PmpPortMapperBase<TClient> : IPortMapper
    where TClient : PmpClientBase
{
    private readonly RebootWatch _reboots;

    /// <summary>Sets up the shared state.</summary>
    /// <param name="client">The client bound to the gateway.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    private protected PmpPortMapperBase(TClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        _reboots = new RebootWatch(client);
    }

    /// <inheritdoc/>
    public abstract MappingMethod Method { get; }

    /// <inheritdoc/>
    public abstract Text GatewayDescription { get; }

    /// <summary>The client used.</summary>
    public TClient Client { get; }

    /// <summary>True once an answer showed that the gateway lost its mappings (RFC 6886 §3.6, RFC 6887 §8.5): re-create them.</summary>
    public bool GatewayRebootDetected => Client.GatewayRebootDetected;

    /// <inheritdoc/>
    public bool CanListMappings => false;

    /// <inheritdoc/>
    public MappingFailure? Declines(MappingRequest request) => PmpLease.Declines(Method, request);

    /// <inheritdoc/>
    public abstract Task<IPAddress?> GetExternalAddressAsync(CancellationToken cancellationToken);

    /// <inheritdoc/>
    public abstract PreparedMapping Prepare(MappingRequest request, MappingRecord? replacing = null);

    /// <inheritdoc/>
    public abstract Task<MappingOutcome> MapAsync(PreparedMapping prepared, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public abstract Task<MappingOutcome> RenewAsync(MappingRecord record, MappingRequest request, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public abstract Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public virtual IPortMapper? FallbackAfter(MappingOutcome failed) => null;

    /// <inheritdoc/>
    /// <remarks>Asks a question whose answer carries the server's epoch (<see cref="AskEpochAsync"/>): one that went back
    /// since the previous question means the server restarted and lost its mappings.</remarks>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PresenceCheck> CheckPresenceAsync(MappingRecord record, TimeSpan budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        int before = _reboots.Before(record);
        (_, MappingFailure? unanswered) = await ExchangeAsync(
            async ct =>
            {
                await AskEpochAsync(budget, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        if (unanswered is not null)
        {
            return new PresenceCheck(MappingPresence.NoAnswer, unanswered);
        }

        return _reboots.RebootedSince(record, before) ? PresenceCheck.Lost : PresenceCheck.Held;
    }

    /// <inheritdoc/>
    /// <remarks>Neither NAT-PMP nor PCP can list or look up mappings (RFC 6886 and RFC 6887 have no such opcode), so this
    /// always returns null without sending anything; a conflicting mapping shows up as the router granting another
    /// external port.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="externalPort"/> is outside 1–65535.</exception>
    public Task<MappingRecord?> FindMappingAsync(TransportProtocol protocol, int externalPort, CancellationToken cancellationToken)
    {
        MapperParts.CheckPort(externalPort, nameof(externalPort));
        return Task.FromResult<MappingRecord?>(null);
    }

    /// <summary>Prepares and maps in one (<see cref="Prepare"/>, then <see cref="MapAsync(PreparedMapping, CancellationToken)"/>).</summary>
    /// <param name="request">What to map. A permanent lease (zero) is asked as <see cref="PmpLease.PermanentSubstituteSeconds"/>
    /// seconds: neither protocol has permanent mappings.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The outcome; failures come back as data.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 1–65535 or the lease is negative.</exception>
    /// <exception cref="ArgumentException">The internal client is not this PC's address toward the gateway: neither
    /// protocol maps ports for another host here.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<MappingOutcome> MapAsync(MappingRequest request, CancellationToken cancellationToken) =>
        MapAsync(Prepare(request), cancellationToken);

    /// <summary>Asks the question behind <see cref="CheckPresenceAsync"/>; its answer updates the client's epoch.</summary>
    /// <param name="budget">How long the question may take.</param>
    /// <param name="cancellationToken">Cancels the question.</param>
    /// <returns>When answered.</returns>
    private protected abstract Task AskEpochAsync(TimeSpan budget, CancellationToken cancellationToken);

    /// <summary>Throws for a request this mapper cannot send: bad ports or lease, or an internal client other than the
    /// address that asks (the protocol maps ports only for the sender).</summary>
    /// <param name="request">The request.</param>
    /// <param name="protocolName">"NAT-PMP" or "PCP MAP", for the message.</param>
    private protected void CheckRequest(MappingRequest request, string protocolName)
    {
        MapperParts.CheckRequest(request);
        if (!request.InternalClient.Equals(Client.LocalAddress))
        {
            throw new ArgumentException(
                $"{protocolName} maps ports only to the address that asks ({Client.LocalAddress}), not to {request.InternalClient}; use this PC's address toward the gateway.",
                nameof(request));
        }
    }

    /// <summary>The failure for deleting a mapping of another LAN address, which only that address may delete; null for ours.</summary>
    /// <param name="record">The mapping, as journaled.</param>
    /// <returns>The failed outcome, or null.</returns>
    private protected MappingOutcome? OtherClient(MappingRecord record) =>
        record.InternalClient.Equals(Client.LocalAddress) ? null : MappingOutcome.Fail(new OtherClientFailure(record.InternalClient, Client.LocalAddress));

    /// <summary>One exchange with the server; a timeout or socket error comes back as the failure, not thrown.</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="send">Sends the request through <see cref="Client"/>.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The answer, or the failure (then the answer is the default).</returns>
    private protected async Task<(T Answer, MappingFailure? Failure)> ExchangeAsync<T>(Func<CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            return (await send(cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (ex is TimeoutException or SocketException)
        {
            return (default!, PmpLease.Unanswered(ex, Client.Server, started));
        }
    }

    /// <summary>Asks <paramref name="client"/> for the external address (RFC 6886 §3.2).</summary>
    /// <param name="client">A NAT-PMP client for the server.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The usable address; null for an error result, a timeout, an unreachable gateway or an unusable address.</returns>
    private protected static async Task<IPAddress?> AskExternalAddressAsync(NatPmpClient client, CancellationToken cancellationToken)
    {
        try
        {
            NatPmpExternalAddressResponse response = await client.GetExternalAddressAsync(cancellationToken).ConfigureAwait(false);
            return response.ResultCode == NatPmpResultCode.Success ? PmpLease.Usable(response.ExternalAddress) : null;
        }
        catch (Exception ex) when (ex is TimeoutException or SocketException)
        {
            return null;
        }
    }
}
