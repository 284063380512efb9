using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Protocol.NatPmp;

namespace PortDoctor.Core.NatPmp;

/// <summary>
/// <see cref="IPortMapper"/> over NAT-PMP (RFC 6886). NAT-PMP maps ports to the address that sends the
/// request, so the request's internal client must be the client's local address. The router may grant
/// another external port than the one suggested; the record holds what it granted. An answer for another
/// internal port than requested is rejected, never recorded (docs/quirks.md#Q-NATPMP-PORT-TRUNCATED).
/// </summary>
internal sealed class NatPmpPortMapper : PmpPortMapperBase<NatPmpClient>
{
    private IPAddress? _externalAddress;

    /// <summary>Creates a mapper.</summary>
    /// <param name="client">The NAT-PMP client bound to the gateway.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public NatPmpPortMapper(NatPmpClient client)
        : base(client)
    {
    }

    /// <summary>Rebuilds a mapper from a journaled record (for <c>close</c>/<c>undo</c> after a restart), without a probe.</summary>
    /// <param name="record">A record made by NAT-PMP; its internal client is the local address used.</param>
    /// <param name="transportFactory">Creates UDP sockets (<see cref="Net.UdpTransport.Create"/> for real use).</param>
    /// <param name="options">Timing and server port; defaults when null.</param>
    /// <returns>The mapper.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The record is not a NAT-PMP record or its addresses are not IPv4.</exception>
    public static NatPmpPortMapper FromRecord(MappingRecord record, Func<AddressFamily, Net.IUdpTransport> transportFactory, PmpClientOptions? options = null)
    {
        MapperParts.CheckMethod(record, MappingMethod.NatPmp);
        return new NatPmpPortMapper(new NatPmpClient(record.Gateway, record.InternalClient, transportFactory, options));
    }

    /// <inheritdoc/>
    public override MappingMethod Method => MappingMethod.NatPmp;

    /// <summary>Remembers an external address already learnt (by the probe) so that mapping does not ask again.</summary>
    internal void RememberExternalAddress(IPAddress? address) => _externalAddress ??= address;

    /// <inheritdoc/>
    public override Text GatewayDescription => Text.Of("Gateway.NatPmp", Client.Gateway);

    /// <inheritdoc/>
    /// <remarks>An error result, a timeout, an unreachable gateway, or an unusable address (0.0.0.0 when the WAN is
    /// down) give null.</remarks>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public override async Task<IPAddress?> GetExternalAddressAsync(CancellationToken cancellationToken)
    {
        IPAddress? address = await AskExternalAddressAsync(Client, cancellationToken).ConfigureAwait(false);
        if (address is not null)
        {
            _externalAddress = address;
        }

        return address;
    }

    /// <inheritdoc/>
    /// <remarks>NAT-PMP mappings are bound to the asking address only; the intent needs nothing more to be deleted.</remarks>
    public override PreparedMapping Prepare(MappingRequest request, MappingRecord? replacing = null) =>
        new(request, MapperParts.AsAsked(Method, Client.Gateway, request));

    /// <inheritdoc/>
    /// <remarks>A permanent lease (zero) is asked as <see cref="PmpLease.PermanentSubstituteSeconds"/> seconds, since
    /// NAT-PMP has none.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="prepared"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 1–65535 or the lease is negative.</exception>
    /// <exception cref="ArgumentException">The internal client is not this PC's address toward the gateway: NAT-PMP
    /// cannot map ports for another host.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public override Task<MappingOutcome> MapAsync(PreparedMapping prepared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return MapRequestAsync(prepared.Request, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Asking again for the same internal port renews the mapping (RFC 6886 §3.3).</remarks>
    public override Task<MappingOutcome> RenewAsync(MappingRecord record, MappingRequest request, CancellationToken cancellationToken) =>
        MapRequestAsync(request, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Sends MAP with lifetime 0 and suggested external port 0 for the record's internal port (RFC 6886 §3.4).
    /// The router answers success also when no such mapping exists.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public override async Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        MapperParts.CheckPort(record.InternalPort, nameof(record));
        if (OtherClient(record) is { } notOurs)
        {
            return notOurs;
        }

        var delete = NatPmpMapRequest.Delete(ToNatPmp(record.Protocol), (ushort)record.InternalPort);
        (NatPmpMapResponse response, MappingFailure? unanswered) = await ExchangeAsync(ct => Client.MapAsync(delete, ct), cancellationToken).ConfigureAwait(false);
        if (unanswered is not null)
        {
            return MappingOutcome.Fail(unanswered);
        }

        if (response.ResultCode != NatPmpResultCode.Success)
        {
            return MappingOutcome.Fail(new NatPmpRefusedFailure(response.ResultCode, MappingOperation.Delete));
        }

        return response.InternalPort == record.InternalPort || response.IsShortForm
            ? MappingOutcome.Success(record)
            : MappingOutcome.Fail(new AnswerForOtherPortFailure(response.InternalPort, record.InternalPort));
    }

    /// <summary>The NAT-PMP opcode protocol for <paramref name="protocol"/>.</summary>
    /// <param name="protocol">TCP or UDP.</param>
    /// <returns>The NAT-PMP protocol.</returns>
    public static NatPmpMapProtocol ToNatPmp(TransportProtocol protocol) =>
        protocol == TransportProtocol.Tcp ? NatPmpMapProtocol.Tcp : NatPmpMapProtocol.Udp;

    /// <inheritdoc/>
    /// <remarks>Asks for the external address: every NAT-PMP answer carries the gateway's epoch (RFC 6886 §3.6).</remarks>
    private protected override Task AskEpochAsync(TimeSpan budget, CancellationToken cancellationToken) =>
        Client.GetExternalAddressAsync(budget, cancellationToken);

    /// <summary>Creates or renews a mapping; NAT-PMP needs nothing from the intent.</summary>
    private async Task<MappingOutcome> MapRequestAsync(MappingRequest request, CancellationToken cancellationToken)
    {
        CheckRequest(request, "NAT-PMP");
        var notes = new List<MappingNote>();
        uint lifetime = PmpLease.ToLifetimeSeconds(request.Lease, notes);
        var map = new NatPmpMapRequest(ToNatPmp(request.Protocol), (ushort)request.InternalPort, (ushort)request.ExternalPort, lifetime);
        (NatPmpMapResponse response, MappingFailure? unanswered) = await ExchangeAsync(ct => Client.MapAsync(map, ct), cancellationToken).ConfigureAwait(false);
        if (unanswered is not null)
        {
            return MappingOutcome.Fail(unanswered, notes);
        }

        if (response.ResultCode != NatPmpResultCode.Success)
        {
            return MappingOutcome.Fail(new NatPmpRefusedFailure(response.ResultCode, MappingOperation.Map), notes);
        }

        if (response.InternalPort != map.InternalPort)
        {
            // Some routers answer for another port: recording it would journal a mapping nobody asked for.
            return MappingOutcome.Fail(new AnswerForOtherPortFailure(response.InternalPort, map.InternalPort), notes);
        }

        if (response.MappedExternalPort == 0)
        {
            return MappingOutcome.Fail(new NoExternalPortFailure(), notes);
        }

        if (PmpLease.CheckGrant(request.ExternalPort, response.MappedExternalPort, lifetime, response.LifetimeSeconds, notes) is { } refused)
        {
            return refused;
        }

        IPAddress? external = _externalAddress ?? await GetExternalAddressAsync(cancellationToken).ConfigureAwait(false);
        MappingRecord record = MapperParts.AsAsked(Method, Client.Gateway, request) with
        {
            ExternalPort = response.MappedExternalPort,
            InternalPort = response.InternalPort,
            Lease = TimeSpan.FromSeconds(response.LifetimeSeconds),
            ExternalAddress = external,
        };
        return MappingOutcome.Success(record, notes);
    }
}
