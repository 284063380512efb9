using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.NatPmp;
using PortDoctor.Protocol.NatPmp;
using PortDoctor.Protocol.Pcp;

namespace PortDoctor.Core.Pcp;

/// <summary>
/// <see cref="IPortMapper"/> over PCP MAP (RFC 6887 §11). Each new mapping gets a fresh random 96-bit nonce,
/// stored hex-encoded in <see cref="MappingRecord.PcpNonce"/> and reused to renew and delete it: servers refuse
/// another nonce (shared case c15). The external address suggestion is the all-zeros IPv4-mapped address and
/// PREFER_FAILURE is never sent, so the server may grant another external port; the record holds what it granted.
/// When the server answers with NAT-PMP "unsupported version", the outcome says so (<see cref="IsNatPmpOnly"/>)
/// and the caller switches to NAT-PMP at once.
/// </summary>
public sealed class PcpPortMapper : IPortMapper
{
    /// <summary>Start of <see cref="MappingOutcome.Detail"/> when the server speaks only NAT-PMP; <see cref="IsNatPmpOnly"/> tests for it.</summary>
    public const string NatPmpOnlyDetail = "the gateway speaks only NAT-PMP (it answered PCP with NAT-PMP 'unsupported version'); use NAT-PMP";

    /// <summary>The advice given when the router refuses PCP mapping changes.</summary>
    public const string NotAuthorizedAdvice = "enable PCP/NAT-PMP (or \"port mapping\"/\"UPnP\") in the router's settings";

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
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        _addressClient = addressClient;
    }

    /// <summary>Rebuilds a mapper from a journaled record (for <c>close</c>/<c>undo</c> after a restart), without a probe.
    /// The record's nonce is used by <see cref="UnmapAsync"/> and <see cref="RenewAsync"/>.</summary>
    /// <param name="record">A record with <see cref="MappingRecord.Method"/> "pcp"; its internal client is the local address used.</param>
    /// <param name="transportFactory">Creates UDP sockets (<see cref="Net.UdpTransport.Create"/> for real use).</param>
    /// <param name="options">Timing and server port; defaults when null.</param>
    /// <returns>The mapper, with a NAT-PMP client on the same server for the external address.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The record is not a PCP record or its addresses are not IPv4.</exception>
    public static PcpPortMapper FromRecord(MappingRecord record, Func<AddressFamily, Net.IUdpTransport> transportFactory, PmpClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Method != "pcp")
        {
            throw new ArgumentException($"A '{record.Method}' record cannot be handled by the PCP mapper.", nameof(record));
        }

        return new PcpPortMapper(
            new PcpClient(record.Gateway, record.InternalClient, transportFactory, options),
            new NatPmpClient(record.Gateway, record.InternalClient, transportFactory, options));
    }

    /// <inheritdoc/>
    public string Method => "pcp";

    /// <inheritdoc/>
    public string GatewayDescription => $"PCP server {Client.Gateway}";

    /// <summary>The client used.</summary>
    public PcpClient Client { get; }

    /// <summary>True once the server answered a request with NAT-PMP "unsupported version": use NAT-PMP instead.</summary>
    public bool ServerSpeaksOnlyNatPmp => Volatile.Read(ref _natPmpOnly) != 0;

    /// <summary>True once an answer showed that the server lost its mappings (RFC 6887 §8.5): re-create them.</summary>
    public bool GatewayRebootDetected => Client.GatewayRebootDetected;

    /// <summary>
    /// A NAT-PMP mapper for the same gateway, local address, options and sockets: what to switch to at once when the
    /// server answered PCP with NAT-PMP "unsupported version" (<see cref="IsNatPmpOnly"/>, RFC 6887 §9).
    /// </summary>
    /// <returns>The NAT-PMP mapper.</returns>
    public NatPmpPortMapper NatPmpFallback() =>
        new(new NatPmpClient(Client.Gateway, Client.LocalAddress, Client.TransportFactory, Client.Options));

    /// <summary>True when <paramref name="outcome"/> failed because the server speaks only NAT-PMP.</summary>
    /// <param name="outcome">An outcome from this mapper.</param>
    /// <returns>True when the caller should switch to NAT-PMP.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="outcome"/> is null.</exception>
    public static bool IsNatPmpOnly(MappingOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return !outcome.Succeeded && outcome.Detail is not null && outcome.Detail.StartsWith(NatPmpOnlyDetail, StringComparison.Ordinal);
    }

    /// <inheritdoc/>
    /// <remarks>Asks the same server with a NAT-PMP external address request (when a NAT-PMP client was given); when that
    /// gives nothing, returns the external address the last MAP answer assigned, else null. Timeouts and unusable
    /// addresses (0.0.0.0) give null.</remarks>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IPAddress?> GetExternalAddressAsync(CancellationToken cancellationToken)
    {
        if (_addressClient is not null)
        {
            try
            {
                NatPmpExternalAddressResponse response = await _addressClient.GetExternalAddressAsync(cancellationToken).ConfigureAwait(false);
                if (response.ResultCode == NatPmpResultCode.Success && PmpLease.Usable(response.ExternalAddress) is { } address)
                {
                    _externalAddress = address;
                    return address;
                }
            }
            catch (Exception ex) when (ex is TimeoutException or SocketException)
            {
                // Fall through to what MAP told.
            }
        }

        return _externalAddress;
    }

    /// <inheritdoc/>
    /// <remarks>A mapping this mapper made earlier for the same protocol and internal port is renewed with its nonce;
    /// otherwise a fresh nonce is drawn. Use <see cref="MapAsync(MappingRequest, string?, CancellationToken)"/> to renew a
    /// journaled mapping after a restart.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 1–65535 or the lease is negative.</exception>
    /// <exception cref="ArgumentException">The internal client is not this PC's address toward the gateway.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<MappingOutcome> MapAsync(MappingRequest request, CancellationToken cancellationToken) =>
        MapAsync(request, null, cancellationToken);

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
        return MapAsync(request, record.PcpNonce, cancellationToken);
    }

    /// <summary>Creates or renews a mapping with a given nonce.</summary>
    /// <param name="request">What to map. A zero lease is asked as <see cref="PmpLease.PermanentSubstituteSeconds"/> seconds (PCP has no permanent mappings).</param>
    /// <param name="existingNonceHex">The nonce of the mapping being renewed (24 hex digits, as journaled); null for a new
    /// mapping (a mapping this mapper made for the same protocol and internal port keeps its nonce).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The outcome; failures come back as data. <see cref="IsNatPmpOnly"/> tells the caller to switch to NAT-PMP.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 1–65535 or the lease is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="existingNonceHex"/> is not 24 hex digits, or the internal client is
    /// not this PC's address toward the gateway (PCP MAP without THIRD_PARTY maps to the requester only).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<MappingOutcome> MapAsync(MappingRequest request, string? existingNonceHex, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckPort(request.ExternalPort, nameof(request));
        CheckPort(request.InternalPort, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Lease, TimeSpan.Zero, nameof(request));
        CheckClient(request.InternalClient, nameof(request));
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

        var notes = new List<string>();
        uint lifetime = PmpLease.ToLifetimeSeconds(request.Lease, notes);
        var map = new PcpMapRequest(nonce, protocol, (ushort)request.InternalPort, (ushort)request.ExternalPort, PcpAddress.AnyIPv4, lifetime, Client.LocalAddress);
        string what = Key(request.ExternalPort, request.Protocol);
        (PcpResponse? response, MappingOutcome? failed) = await SendAsync(map, notes, cancellationToken).ConfigureAwait(false);
        if (failed is not null)
        {
            return failed;
        }

        if (response!.ResultCode != PcpResultCode.Success)
        {
            return Failure(response, $"the router refused PCP MAP {what}", notes);
        }

        if (response.Map is not { } body || body.AssignedExternalPort == 0)
        {
            return MappingOutcome.Fail(MappingFailureKind.MalformedAnswer, PmpLease.With(notes, $"the router said yes to {what} but assigned no external port"));
        }

        if (PmpLease.CheckGrant(what, request.ExternalPort, body.AssignedExternalPort, lifetime, response.LifetimeSeconds, notes) is { } refused)
        {
            return refused;
        }

        IPAddress? external = PmpLease.Usable(body.AssignedExternalAddress);
        if (external is not null)
        {
            _externalAddress = external;
        }

        _nonces[key] = nonce;
        var record = new MappingRecord
        {
            Method = Method,
            Gateway = Client.Gateway,
            Protocol = request.Protocol,
            ExternalPort = body.AssignedExternalPort,
            InternalClient = request.InternalClient,
            InternalPort = request.InternalPort,
            Lease = TimeSpan.FromSeconds(response.LifetimeSeconds),
            PcpNonce = nonce.ToHex(),
            ExternalAddress = external,
        };
        return MappingOutcome.Success(record, PmpLease.Notes(notes));
    }

    /// <inheritdoc/>
    /// <remarks>Sends MAP with lifetime 0 and the record's nonce (RFC 6887 §15); a record without a nonce cannot be deleted
    /// (the server refuses another nonce, shared case c15) and fails with advice to wait for the lease to end.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        CheckPort(record.InternalPort, nameof(record));
        string what = Key(record.ExternalPort, record.Protocol);
        if (!PcpNonce.TryParseHex(record.PcpNonce, out PcpNonce nonce))
        {
            return MappingOutcome.Fail(
                MappingFailureKind.RouterError,
                $"the journal holds no PCP nonce for mapping {what}, and the router deletes a PCP mapping only with the nonce that made it; it ends by itself when its lease of {record.Lease.TotalSeconds:0} s runs out");
        }

        if (!record.InternalClient.Equals(Client.LocalAddress))
        {
            return MappingOutcome.Fail(
                MappingFailureKind.NotAuthorized,
                $"PCP mapping {what} belongs to {record.InternalClient}; only that address can delete it ({Client.LocalAddress} asked): run close there, or wait until its lease ends");
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
            return MappingOutcome.Success(record, $"the router holds no PCP mapping {what} any more");
        }

        if (response.ResultCode != PcpResultCode.Success)
        {
            return Failure(response, $"the router refused to delete PCP mapping {what} (it stays until its lease ends)", []);
        }

        _nonces.TryRemove(KeyValuePair.Create((protocol, (ushort)record.InternalPort), nonce));
        return MappingOutcome.Success(record);
    }

    /// <inheritdoc/>
    /// <remarks>PCP cannot list or look up mappings (RFC 6887 has no such opcode), so this always returns null without
    /// sending anything; a conflicting mapping shows up as the router granting another external port.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="externalPort"/> is outside 1–65535.</exception>
    public Task<MappingRecord?> FindMappingAsync(TransportProtocol protocol, int externalPort, CancellationToken cancellationToken)
    {
        CheckPort(externalPort, nameof(externalPort));
        return Task.FromResult<MappingRecord?>(null);
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

    private async Task<(PcpResponse? Response, MappingOutcome? Failure)> SendAsync(PcpMapRequest map, List<string> notes, CancellationToken cancellationToken)
    {
        PcpAnswer answer;
        try
        {
            answer = await Client.MapAsync(map, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or SocketException)
        {
            return (null, MappingOutcome.Fail(MappingFailureKind.NoAnswer, PmpLease.With(notes, ex.Message)));
        }

        if (answer.ServerSpeaksOnlyNatPmp)
        {
            Volatile.Write(ref _natPmpOnly, 1);
            return (null, MappingOutcome.Fail(MappingFailureKind.RouterError, NatPmpOnlyDetail));
        }

        return (answer.Response, null);
    }

    private static MappingOutcome Failure(PcpResponse response, string what, List<string> notes)
    {
        string text = $"{what}: result {response.ResultCode.Describe()}";
        return response.ResultCode switch
        {
            PcpResultCode.NotAuthorized => MappingOutcome.Fail(MappingFailureKind.NotAuthorized, PmpLease.With(notes, $"{text}: {NotAuthorizedAdvice}")),
            PcpResultCode.CannotProvideExternal => MappingOutcome.Fail(MappingFailureKind.ConflictWithOtherHost, PmpLease.With(notes, $"{text}: the external port is taken; choose another external port")),
            PcpResultCode.AddressMismatch => MappingOutcome.Fail(MappingFailureKind.RouterError, PmpLease.With(notes, $"{text}: the router sees this PC under another address (another NAT between PC and router?)")),
            PcpResultCode.NetworkFailure => MappingOutcome.Fail(MappingFailureKind.RouterError, PmpLease.With(notes, $"{text}: the router has no working internet connection")),
            PcpResultCode.NoResources or PcpResultCode.UserExceededQuota => MappingOutcome.Fail(MappingFailureKind.RouterError, PmpLease.With(notes, $"{text}: the router will not hold more mappings; remove unused ones")),
            _ => MappingOutcome.Fail(MappingFailureKind.RouterError, PmpLease.With(notes, text)),
        };
    }

    private void CheckClient(IPAddress client, string paramName)
    {
        if (!client.Equals(Client.LocalAddress))
        {
            throw new ArgumentException(
                $"PCP MAP maps ports only to the address that asks ({Client.LocalAddress}), not to {client}; use this PC's address toward the gateway.",
                paramName);
        }
    }

    private static string Key(int externalPort, TransportProtocol protocol) =>
        string.Create(CultureInfo.InvariantCulture, $"{externalPort}/{protocol.ToUpnp()}");

    private static void CheckPort(int port, string paramName)
    {
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(paramName, port.ToString(CultureInfo.InvariantCulture), "A port must be 1–65535.");
        }
    }
}
