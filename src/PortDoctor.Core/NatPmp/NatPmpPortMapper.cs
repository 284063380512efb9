using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Mapping;
using PortDoctor.Protocol.NatPmp;

namespace PortDoctor.Core.NatPmp;

/// <summary>
/// <see cref="IPortMapper"/> over NAT-PMP (RFC 6886). NAT-PMP maps ports to the address that sends the
/// request, so the request's internal client must be the client's local address. The router may grant
/// another external port than the one suggested; the record holds what it granted. An answer for another
/// internal port than requested is rejected, never recorded (docs/quirks.md#Q-NATPMP-PORT-TRUNCATED).
/// </summary>
internal sealed class NatPmpPortMapper : IPortMapper
{
    private readonly RebootWatch _reboots;
    private IPAddress? _externalAddress;

    /// <summary>Creates a mapper.</summary>
    /// <param name="client">The NAT-PMP client bound to the gateway.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public NatPmpPortMapper(NatPmpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        _reboots = new RebootWatch(client);
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
        ArgumentNullException.ThrowIfNull(record);
        if (record.Method != MappingMethod.NatPmp)
        {
            throw new ArgumentException($"A '{record.Method}' record cannot be handled by the NAT-PMP mapper.", nameof(record));
        }

        return new NatPmpPortMapper(new NatPmpClient(record.Gateway, record.InternalClient, transportFactory, options));
    }

    /// <inheritdoc/>
    public MappingMethod Method => MappingMethod.NatPmp;

    /// <summary>Remembers an external address already learnt (by the probe) so that mapping does not ask again.</summary>
    internal void RememberExternalAddress(IPAddress? address) => _externalAddress ??= address;

    /// <inheritdoc/>
    public string GatewayDescription => $"NAT-PMP gateway {Client.Gateway}";

    /// <summary>The client used.</summary>
    public NatPmpClient Client { get; }

    /// <summary>True once an answer showed that the gateway lost its mappings (RFC 6886 §3.6): re-create them.</summary>
    public bool GatewayRebootDetected => Client.GatewayRebootDetected;

    /// <inheritdoc/>
    /// <remarks>An error result, a timeout, an unreachable gateway, or an unusable address (0.0.0.0 when the WAN is
    /// down) give null.</remarks>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IPAddress?> GetExternalAddressAsync(CancellationToken cancellationToken)
    {
        NatPmpExternalAddressResponse response;
        try
        {
            response = await Client.GetExternalAddressAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or SocketException)
        {
            return null;
        }

        IPAddress? address = response.ResultCode == NatPmpResultCode.Success ? PmpLease.Usable(response.ExternalAddress) : null;
        if (address is not null)
        {
            _externalAddress = address;
        }

        return address;
    }

    /// <inheritdoc/>
    public MappingFailure? Declines(MappingRequest request) => PmpLease.Declines(Method, request);

    /// <inheritdoc/>
    /// <remarks>NAT-PMP mappings are bound to the asking address only; the intent needs nothing more to be deleted.</remarks>
    public PreparedMapping Prepare(MappingRequest request, MappingRecord? replacing = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new PreparedMapping(request, new MappingRecord
        {
            Method = Method,
            Gateway = Client.Gateway,
            Protocol = request.Protocol,
            ExternalPort = request.ExternalPort,
            InternalClient = request.InternalClient,
            InternalPort = request.InternalPort,
            Lease = request.Lease,
        });
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="prepared"/> is null.</exception>
    public Task<MappingOutcome> MapAsync(PreparedMapping prepared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return MapAsync(prepared.Request, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Asking again for the same internal port renews the mapping (RFC 6886 §3.3).</remarks>
    public Task<MappingOutcome> RenewAsync(MappingRecord record, MappingRequest request, CancellationToken cancellationToken) =>
        MapAsync(request, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Asks for the external address: every answer carries the gateway's epoch, and one that went back since the
    /// previous question means the gateway restarted and lost its mappings (RFC 6886 §3.6).</remarks>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PresenceCheck> CheckPresenceAsync(MappingRecord record, TimeSpan budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        int before = _reboots.Before(record);
        long started = Stopwatch.GetTimestamp();
        try
        {
            await Client.GetExternalAddressAsync(budget, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or SocketException)
        {
            return new PresenceCheck(MappingPresence.NoAnswer, PmpLease.Unanswered(ex, Client.Server, started));
        }

        return _reboots.RebootedSince(record, before) ? PresenceCheck.Lost : PresenceCheck.Held;
    }

    /// <inheritdoc/>
    public bool CanListMappings => false;

    /// <inheritdoc/>
    public IPortMapper? FallbackAfter(MappingOutcome failed) => null;

    /// <summary>Creates or renews a mapping (prepare and map in one).</summary>
    /// <param name="request">What to map. A permanent lease (zero) is asked as <see cref="PmpLease.PermanentSubstituteSeconds"/>
    /// seconds, since NAT-PMP has none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The outcome; failures come back as data.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 1–65535 or the lease is negative.</exception>
    /// <exception cref="ArgumentException">The internal client is not this PC's address toward the gateway: NAT-PMP
    /// cannot map ports for another host.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<MappingOutcome> MapAsync(MappingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckPort(request.ExternalPort, nameof(request));
        CheckPort(request.InternalPort, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Lease, TimeSpan.Zero, nameof(request));
        if (!request.InternalClient.Equals(Client.LocalAddress))
        {
            throw new ArgumentException(
                $"NAT-PMP maps ports only to the address that asks ({Client.LocalAddress}), not to {request.InternalClient}; use this PC's address toward the gateway.",
                nameof(request));
        }

        var notes = new List<MappingNote>();
        uint lifetime = PmpLease.ToLifetimeSeconds(request.Lease, notes);
        var map = new NatPmpMapRequest(ToNatPmp(request.Protocol), (ushort)request.InternalPort, (ushort)request.ExternalPort, lifetime);
        NatPmpMapResponse response;
        long started = Stopwatch.GetTimestamp();
        try
        {
            response = await Client.MapAsync(map, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or SocketException)
        {
            return MappingOutcome.Fail(PmpLease.Unanswered(ex, Client.Server, started), notes);
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
        var record = new MappingRecord
        {
            Method = Method,
            Gateway = Client.Gateway,
            Protocol = request.Protocol,
            ExternalPort = response.MappedExternalPort,
            InternalClient = request.InternalClient,
            InternalPort = response.InternalPort,
            Lease = TimeSpan.FromSeconds(response.LifetimeSeconds),
            ExternalAddress = external,
        };
        return MappingOutcome.Success(record, notes);
    }

    /// <inheritdoc/>
    /// <remarks>Sends MAP with lifetime 0 and suggested external port 0 for the record's internal port (RFC 6886 §3.4).
    /// The router answers success also when no such mapping exists.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        CheckPort(record.InternalPort, nameof(record));
        if (!record.InternalClient.Equals(Client.LocalAddress))
        {
            return MappingOutcome.Fail(new OtherClientFailure(record.InternalClient, Client.LocalAddress));
        }

        NatPmpMapResponse response;
        long started = Stopwatch.GetTimestamp();
        try
        {
            response = await Client.MapAsync(NatPmpMapRequest.Delete(ToNatPmp(record.Protocol), (ushort)record.InternalPort), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or SocketException)
        {
            return MappingOutcome.Fail(PmpLease.Unanswered(ex, Client.Server, started));
        }

        if (response.ResultCode != NatPmpResultCode.Success)
        {
            return MappingOutcome.Fail(new NatPmpRefusedFailure(response.ResultCode, MappingOperation.Delete));
        }

        return response.InternalPort == record.InternalPort || response.IsShortForm
            ? MappingOutcome.Success(record)
            : MappingOutcome.Fail(new AnswerForOtherPortFailure(response.InternalPort, record.InternalPort));
    }

    /// <inheritdoc/>
    /// <remarks>NAT-PMP has no way to list or look up mappings (RFC 6886 has no such opcode), so this always returns null
    /// without sending anything; a conflicting mapping shows up as the router granting another external port.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="externalPort"/> is outside 1–65535.</exception>
    public Task<MappingRecord?> FindMappingAsync(TransportProtocol protocol, int externalPort, CancellationToken cancellationToken)
    {
        CheckPort(externalPort, nameof(externalPort));
        return Task.FromResult<MappingRecord?>(null);
    }

    /// <summary>The NAT-PMP opcode protocol for <paramref name="protocol"/>.</summary>
    /// <param name="protocol">TCP or UDP.</param>
    /// <returns>The NAT-PMP protocol.</returns>
    public static NatPmpMapProtocol ToNatPmp(TransportProtocol protocol) =>
        protocol == TransportProtocol.Tcp ? NatPmpMapProtocol.Tcp : NatPmpMapProtocol.Udp;

    private static void CheckPort(int port, string paramName)
    {
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(paramName, port.ToString(CultureInfo.InvariantCulture), "A port must be 1–65535.");
        }
    }
}
