using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.NatPmp;
using PortDoctor.Protocol.Pcp;

namespace PortDoctor.Core.Pcp;

/// <summary>
/// <see cref="IPortMapper"/> over PCP MAP (RFC 6887 §11). Each new mapping gets a fresh random 96-bit nonce,
/// stored hex-encoded in <see cref="MappingRecord.PcpNonce"/> and reused to renew and delete it: servers refuse
/// another nonce (docs/quirks.md#Q-PCP-NONCE). The external address suggestion is the all-zeros IPv4-mapped address and
/// PREFER_FAILURE is never sent, so the server may grant another external port; the record holds what it granted.
/// When the server answers with NAT-PMP "unsupported version", the outcome says so (a <see cref="NatPmpOnlyFailure"/>, see <see cref="FallbackAfter"/>)
/// and the caller switches to NAT-PMP at once.
/// </summary>
internal sealed class PcpPortMapper : PmpPortMapperBase<PcpClient>
{
    private readonly NatPmpClient? _addressClient;
    private readonly ConcurrentDictionary<(PcpMapProtocol Protocol, ushort InternalPort), PcpNonce> _nonces = new();
    private IPAddress? _externalAddress;
    private int _natPmpOnly;

    /// <summary>Creates a mapper.</summary>
    /// <param name="client">The PCP client bound to the gateway.</param>
    /// <param name="addressClient">A NAT-PMP client for the same server, used by <see cref="GetExternalAddressAsync"/>:
    /// PCP has no plain external-address request, and PCP servers commonly speak NAT-PMP too (RFC 6887 §9). May be null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public PcpPortMapper(PcpClient client, NatPmpClient? addressClient = null)
        : base(client)
    {
        _addressClient = addressClient;
    }

    /// <summary>Rebuilds a mapper from a journaled record (for <c>close</c>/<c>undo</c> after a restart), without a probe.
    /// The record's nonce is used by <see cref="UnmapAsync"/> and <see cref="RenewAsync(MappingRecord, CancellationToken)"/>.</summary>
    /// <param name="record">A record made by PCP; its internal client is the local address used.</param>
    /// <param name="transportFactory">Creates UDP sockets (<see cref="Net.UdpTransport.Create"/> for real use).</param>
    /// <param name="options">Timing and server port; defaults when null.</param>
    /// <returns>The mapper, with a NAT-PMP client on the same server for the external address.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The record is not a PCP record or its addresses are not IPv4.</exception>
    public static PcpPortMapper FromRecord(MappingRecord record, Func<AddressFamily, Net.IUdpTransport> transportFactory, PmpClientOptions? options = null)
    {
        MapperParts.CheckMethod(record, MappingMethod.Pcp);
        return new PcpPortMapper(
            new PcpClient(record.Gateway, record.InternalClient, transportFactory, options),
            new NatPmpClient(record.Gateway, record.InternalClient, transportFactory, options));
    }

    /// <inheritdoc/>
    public override MappingMethod Method => MappingMethod.Pcp;

    /// <inheritdoc/>
    public override Text GatewayDescription => Text.Of("Gateway.Pcp", Client.Gateway);

    /// <summary>True once the server answered a request with NAT-PMP "unsupported version": use NAT-PMP instead.</summary>
    public bool ServerSpeaksOnlyNatPmp => Volatile.Read(ref _natPmpOnly) != 0;

    /// <summary>
    /// A NAT-PMP mapper for the same gateway, local address, options and sockets: what to switch to at once when the
    /// server answered PCP with NAT-PMP "unsupported version" (a <see cref="NatPmpOnlyFailure"/>, RFC 6887 §9).
    /// </summary>
    /// <returns>The NAT-PMP mapper.</returns>
    public NatPmpPortMapper NatPmpFallback() =>
        new(new NatPmpClient(Client.Gateway, Client.LocalAddress, Client.TransportFactory, Client.Options));

    /// <inheritdoc/>
    /// <remarks>A PCP server that answered with NAT-PMP "unsupported version" speaks NAT-PMP: the same gateway is
    /// asked with NAT-PMP at once (RFC 6887 §9).</remarks>
    public override IPortMapper? FallbackAfter(MappingOutcome failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        return failed.Reason is NatPmpOnlyFailure ? NatPmpFallback() : null;
    }

    /// <inheritdoc/>
    /// <remarks>The nonce is drawn here, so that it is journaled with the intent: the server deletes a mapping only for
    /// the nonce that made it (RFC 6887 §11.1), and undo after a crash needs it. A re-created mapping keeps the nonce
    /// of the one it replaces; a mapping this mapper made earlier for the same protocol and internal port keeps its own.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public override PreparedMapping Prepare(MappingRequest request, MappingRecord? replacing = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        PcpNonce nonce;
        if (!PcpNonce.TryParseHex(replacing?.PcpNonce, out nonce) && !_nonces.TryGetValue((ToPcp(request.Protocol), (ushort)request.InternalPort), out nonce))
        {
            nonce = NewNonce();
        }

        return new PreparedMapping(request, MapperParts.AsAsked(Method, Client.Gateway, request) with { PcpNonce = nonce.ToHex() });
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="prepared"/> is null.</exception>
    /// <exception cref="ArgumentException">The intent's nonce is not 24 hex digits, or the internal client is not this PC.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public override Task<MappingOutcome> MapAsync(PreparedMapping prepared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return MapAsync(prepared.Request, prepared.Intent.PcpNonce, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Renews with the record's nonce; a record without one cannot be renewed, only re-created.</remarks>
    /// <exception cref="ArgumentException">The record has no valid nonce, or its internal client is not this PC.</exception>
    public override Task<MappingOutcome> RenewAsync(MappingRecord record, MappingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(request);
        if (!PcpNonce.TryParseHex(record.PcpNonce, out _))
        {
            throw new ArgumentException("The record has no PCP nonce (24 hex digits); it cannot be renewed, only re-created.", nameof(record));
        }

        return MapAsync(request, record.PcpNonce, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Asks the same server with a NAT-PMP external address request (when a NAT-PMP client was given); when that
    /// gives nothing, returns the external address the last MAP answer assigned, else null. Timeouts and unusable
    /// addresses (0.0.0.0) give null.</remarks>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public override async Task<IPAddress?> GetExternalAddressAsync(CancellationToken cancellationToken)
    {
        if (_addressClient is not null && await AskExternalAddressAsync(_addressClient, cancellationToken).ConfigureAwait(false) is { } address)
        {
            _externalAddress = address;
            return address;
        }

        // No NAT-PMP client, or it gave nothing: what MAP told.
        return _externalAddress;
    }

    /// <summary>Renews the journaled mapping <paramref name="record"/> with its own nonce and lease.</summary>
    /// <param name="record">A record made by a PCP mapper (with <see cref="MappingRecord.PcpNonce"/>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The outcome with the renewed record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="ArgumentException">The record has no valid nonce, or its internal client is not this PC.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<MappingOutcome> RenewAsync(MappingRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!PcpNonce.TryParseHex(record.PcpNonce, out _))
        {
            throw new ArgumentException("The record has no PCP nonce (24 hex digits); it cannot be renewed, only re-created.", nameof(record));
        }

        var request = new MappingRequest(record.Protocol, record.ExternalPort, record.InternalClient, record.InternalPort, record.Lease, string.Empty);
        return RenewAsync(record, request, cancellationToken);
    }

    /// <summary>Creates or renews a mapping with a given nonce.</summary>
    /// <param name="request">What to map. A zero lease is asked as <see cref="PmpLease.PermanentSubstituteSeconds"/> seconds (PCP has no permanent mappings).</param>
    /// <param name="existingNonceHex">The nonce of the mapping being renewed (24 hex digits, as journaled); null for a new
    /// mapping (a mapping this mapper made for the same protocol and internal port keeps its nonce).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The outcome; failures come back as data. A <see cref="NatPmpOnlyFailure"/> tells the caller to switch to NAT-PMP.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 1–65535 or the lease is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="existingNonceHex"/> is not 24 hex digits, or the internal client is
    /// not this PC's address toward the gateway (PCP MAP without THIRD_PARTY maps to the requester only).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<MappingOutcome> MapAsync(MappingRequest request, string? existingNonceHex, CancellationToken cancellationToken)
    {
        CheckRequest(request, "PCP MAP");
        PcpMapProtocol protocol = ToPcp(request.Protocol);
        var key = (protocol, (ushort)request.InternalPort);
        PcpNonce nonce;
        if (existingNonceHex is not null)
        {
            if (!PcpNonce.TryParseHex(existingNonceHex, out nonce))
            {
                throw new ArgumentException($"'{existingNonceHex}' is not a PCP nonce (24 hex digits).", nameof(existingNonceHex));
            }
        }
        else if (!_nonces.TryGetValue(key, out nonce))
        {
            nonce = NewNonce();
        }

        var notes = new List<MappingNote>();
        uint lifetime = PmpLease.ToLifetimeSeconds(request.Lease, notes);
        var map = new PcpMapRequest(nonce, protocol, (ushort)request.InternalPort, (ushort)request.ExternalPort, PcpAddress.AnyIPv4, lifetime, Client.LocalAddress);
        (PcpResponse? response, MappingOutcome? failed) = await SendAsync(map, notes, cancellationToken).ConfigureAwait(false);
        if (failed is not null)
        {
            return failed;
        }

        if (response!.ResultCode != PcpResultCode.Success)
        {
            return MappingOutcome.Fail(new PcpRefusedFailure(response.ResultCode, MappingOperation.Map), notes);
        }

        if (response.Map is not { } body || body.AssignedExternalPort == 0)
        {
            return MappingOutcome.Fail(new NoExternalPortFailure(), notes);
        }

        if (PmpLease.CheckGrant(request.ExternalPort, body.AssignedExternalPort, lifetime, response.LifetimeSeconds, notes) is { } refused)
        {
            return refused;
        }

        IPAddress? external = PmpLease.Usable(body.AssignedExternalAddress);
        if (external is not null)
        {
            _externalAddress = external;
        }

        _nonces[key] = nonce;
        MappingRecord record = MapperParts.AsAsked(Method, Client.Gateway, request) with
        {
            ExternalPort = body.AssignedExternalPort,
            Lease = TimeSpan.FromSeconds(response.LifetimeSeconds),
            PcpNonce = nonce.ToHex(),
            ExternalAddress = external,
        };
        return MappingOutcome.Success(record, notes);
    }

    /// <inheritdoc/>
    /// <remarks>Sends MAP with lifetime 0 and the record's nonce (RFC 6887 §15); a record without a nonce cannot be deleted
    /// (the server refuses another nonce, docs/quirks.md#Q-PCP-NONCE) and fails with advice to wait for the lease to end.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public override async Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        MapperParts.CheckPort(record.InternalPort, nameof(record));
        if (!PcpNonce.TryParseHex(record.PcpNonce, out PcpNonce nonce))
        {
            return MappingOutcome.Fail(new NoNonceFailure((long)record.Lease.TotalSeconds));
        }

        if (OtherClient(record) is { } notOurs)
        {
            return notOurs;
        }

        PcpMapProtocol protocol = ToPcp(record.Protocol);
        var map = new PcpMapRequest(nonce, protocol, (ushort)record.InternalPort, (ushort)record.ExternalPort, PcpAddress.AnyIPv4, 0, Client.LocalAddress);
        (PcpResponse? response, MappingOutcome? failed) = await SendAsync(map, [], cancellationToken).ConfigureAwait(false);
        if (failed is not null)
        {
            return failed;
        }

        if (response!.ResultCode == PcpResultCode.NoResources)
        {
            // RFC 6887 §15 answers a delete of a mapping the server does not hold with SUCCESS; miniupnpd answers
            // NO_RESOURCES instead ("nothing to delete"). Seen when our earlier delete arrived but its answer was
            // lost, and when PortDoctor died after journaling the intent but before sending the MAP.
            _nonces.TryRemove(KeyValuePair.Create((protocol, (ushort)record.InternalPort), nonce));
            return MappingOutcome.Success(record, new AlreadyGoneNote());
        }

        if (response.ResultCode != PcpResultCode.Success)
        {
            return MappingOutcome.Fail(new PcpRefusedFailure(response.ResultCode, MappingOperation.Delete));
        }

        _nonces.TryRemove(KeyValuePair.Create((protocol, (ushort)record.InternalPort), nonce));
        return MappingOutcome.Success(record);
    }

    /// <summary>The PCP protocol number for <paramref name="protocol"/>.</summary>
    /// <param name="protocol">TCP or UDP.</param>
    /// <returns>6 or 17.</returns>
    public static PcpMapProtocol ToPcp(TransportProtocol protocol) => protocol == TransportProtocol.Tcp ? PcpMapProtocol.Tcp : PcpMapProtocol.Udp;

    private static PcpNonce NewNonce()
    {
        Span<byte> bytes = stackalloc byte[PcpWire.NonceBytes];
        Mapping.NonceSource.Fill(bytes);
        return PcpNonce.FromBytes(bytes);
    }

    private async Task<(PcpResponse? Response, MappingOutcome? Failure)> SendAsync(PcpMapRequest map, List<MappingNote> notes, CancellationToken cancellationToken)
    {
        (PcpAnswer answer, MappingFailure? unanswered) = await ExchangeAsync(ct => Client.MapAsync(map, ct), cancellationToken).ConfigureAwait(false);
        if (unanswered is not null)
        {
            return (null, MappingOutcome.Fail(unanswered, notes));
        }

        if (answer.ServerSpeaksOnlyNatPmp)
        {
            Volatile.Write(ref _natPmpOnly, 1);
            return (null, MappingOutcome.Fail(new NatPmpOnlyFailure(), notes));
        }

        return (answer.Response, null);
    }

    /// <inheritdoc/>
    /// <remarks>Sends ANNOUNCE (RFC 6887 §14.1): every PCP answer carries the server's epoch (§8.5).</remarks>
    private protected override Task AskEpochAsync(TimeSpan budget, CancellationToken cancellationToken) =>
        Client.AnnounceAsync(budget, cancellationToken);
}
