using System.Diagnostics;
using System.Net;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Upnp;

/// <summary>
/// <see cref="IPortMapper"/> over UPnP IGD (WANIPConnection:1/2, WANPPPConnection:1). Reacts to faults the
/// way the IGD specifications intend, each retry at most once (docs/quirks.md#Q-UPNP-LEASE-FAULTS), reads every new mapping
/// back, and reports failures as data.
/// </summary>
internal sealed class UpnpPortMapper : IPortMapper
{
    /// <summary>The largest finite lease IGD:2 allows, in seconds (one week, WANIPConnection:2 §2.3.17).</summary>
    public const uint MaxFiniteLeaseSeconds = 604800;

    /// <summary>How many table entries <see cref="ListMappingsAsync"/> reads at most (bounds a lying router).</summary>
    public const int MaxListedEntries = 256;

    /// <summary>Tolerance in seconds when comparing the lease read back (routers report the remaining time, rounded).</summary>
    public const uint LeaseSlackSeconds = 5;

    private readonly IPAddress _gatewayAddress;
    private readonly Uri? _descriptionUrl;

    /// <summary>Creates a mapper for a discovered gateway.</summary>
    /// <param name="gateway">The discovery result.</param>
    /// <param name="http">The HTTP client (built on <see cref="UpnpHttp.CreateHandler"/> for real use).</param>
    /// <param name="timeProvider">Clock for timeouts; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public UpnpPortMapper(UpnpGateway gateway, HttpClient http, TimeProvider? timeProvider = null)
        : this(
            new UpnpIgdClient(http, (gateway ?? throw new ArgumentNullException(nameof(gateway))).ControlUrl, gateway.ServiceType, timeProvider),
            gateway.Gateway.Gateway,
            gateway.DisplayName,
            gateway.Service.IsIgd2,
            gateway.DescriptionUrl)
    {
    }

    /// <summary>Creates a mapper from journaled values (control URL and service type), e.g. for <c>close</c> after a restart.</summary>
    /// <param name="client">The control client.</param>
    /// <param name="gatewayAddress">The gateway's LAN address (stored in records).</param>
    /// <param name="gatewayDescription">Text for <see cref="GatewayDescription"/>.</param>
    /// <param name="isIgd2">True when the service is WANIPConnection:2 (AddAnyPortMapping available).</param>
    /// <param name="descriptionUrl">The description URL, stored in records; may be null.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    public UpnpPortMapper(UpnpIgdClient client, IPAddress gatewayAddress, string gatewayDescription, bool isIgd2, Uri? descriptionUrl)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(gatewayAddress);
        ArgumentNullException.ThrowIfNull(gatewayDescription);
        Client = client;
        _gatewayAddress = gatewayAddress;
        GatewayDescription = Text.Of("Common.Verbatim", gatewayDescription);
        IsIgd2 = isIgd2;
        _descriptionUrl = descriptionUrl;
    }

    /// <inheritdoc/>
    public MappingMethod Method => MappingMethod.Upnp;

    /// <inheritdoc/>
    public Text GatewayDescription { get; }

    /// <summary>The control client used.</summary>
    public UpnpIgdClient Client { get; }

    /// <summary>The control URL of the WAN*Connection service in use.</summary>
    public Uri ControlUrl => Client.ControlUrl;

    /// <summary>The service type URN in use.</summary>
    public string ServiceType => Client.ServiceType;

    /// <inheritdoc/>
    public bool CanListMappings => true;

    /// <summary>True when the service is IGD:2's WANIPConnection:2.</summary>
    public bool IsIgd2 { get; }

    /// <summary>
    /// When true and the service is IGD:2, a port held by another host is retried with AddAnyPortMapping and
    /// the port the router grants is reported. Default false: the caller asked for a specific port.
    /// </summary>
    public bool AllowAlternativeExternalPort { get; init; }

    /// <inheritdoc/>
    /// <remarks>A fault, a timeout or an unreachable control URL also give null ("unknown").</remarks>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IPAddress?> GetExternalAddressAsync(CancellationToken cancellationToken)
    {
        UpnpCallResult<IPAddress?> result;
        try
        {
            result = await Client.GetExternalIPAddressAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or HttpRequestException)
        {
            return null;
        }

        return result.Succeeded ? result.Value : null;
    }

    /// <inheritdoc/>
    /// <remarks>UPnP IGD answers any port at once (with a fault when it will not map it), so nothing is declined.</remarks>
    public MappingFailure? Declines(MappingRequest request) => null;

    /// <inheritdoc/>
    /// <remarks>The intent carries the control URL and service type: enough to delete the mapping without discovery.</remarks>
    public PreparedMapping Prepare(MappingRequest request, MappingRecord? replacing = null) =>
        new(request, WithServiceOf(MapperParts.AsAsked(Method, _gatewayAddress, request)));

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="prepared"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 1–65535 or the lease is negative.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<MappingOutcome> MapAsync(PreparedMapping prepared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        MapperParts.CheckRequest(prepared.Request);
        var notes = new List<MappingNote>();
        long started = Stopwatch.GetTimestamp();
        try
        {
            return await MapCoreAsync(prepared, notes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or HttpRequestException)
        {
            return MappingOutcome.Fail(Unanswered(ex, started), notes);
        }
    }

    /// <inheritdoc/>
    /// <remarks>AddPortMapping for a mapping this PC already holds refreshes its lease.</remarks>
    public Task<MappingOutcome> RenewAsync(MappingRecord record, MappingRequest request, CancellationToken cancellationToken) =>
        MapAsync(request, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>GetSpecificPortMappingEntry: the mapping is lost when the router no longer lists it for this PC.</remarks>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PresenceCheck> CheckPresenceAsync(MappingRecord record, TimeSpan budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(budget);
        long started = Stopwatch.GetTimestamp();
        try
        {
            UpnpCallResult<PortMappingEntry> held = await Client.GetSpecificPortMappingEntryAsync(record.Protocol, record.ExternalPort, limit.Token).ConfigureAwait(false);
            if (held.IsFault(UpnpErrorCode.NoSuchEntryInArray))
            {
                return PresenceCheck.Lost;
            }

            if (!held.Succeeded)
            {
                return new PresenceCheck(MappingPresence.NoAnswer, held.Fault is { } fault
                    ? UpnpFaultFailure.From(MappingOperation.Lookup, fault)
                    : new UnusableAnswerFailure(MappingOperation.Lookup));
            }

            return IPAddress.TryParse(held.Value!.InternalClient, out IPAddress? client) && client.Equals(record.InternalClient)
                ? PresenceCheck.Held
                : PresenceCheck.Lost;
        }
        catch (Exception ex) when (ex is TimeoutException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The budget's own cancellation is the router not answering in time.
            return new PresenceCheck(MappingPresence.NoAnswer, Unanswered(ex, started));
        }
    }

    /// <inheritdoc/>
    public IPortMapper? FallbackAfter(MappingOutcome failed) => null;

    /// <summary>Creates (or refreshes) a mapping and reads it back (prepare and map in one).</summary>
    /// <param name="request">What to map.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The outcome; failures come back as data.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 1–65535 or the lease is negative.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<MappingOutcome> MapAsync(MappingRequest request, CancellationToken cancellationToken) =>
        MapAsync(Prepare(request), cancellationToken);

    private async Task<MappingOutcome> MapCoreAsync(PreparedMapping prepared, List<MappingNote> notes, CancellationToken cancellationToken)
    {
        MappingRequest request = prepared.Request;
        uint lease = (uint)Math.Min(request.Lease.TotalSeconds, uint.MaxValue);
        if (IsIgd2 && lease > MaxFiniteLeaseSeconds)
        {
            notes.Add(new LeaseCappedNote(MaxFiniteLeaseSeconds));
            lease = MaxFiniteLeaseSeconds;
        }

        UpnpCallResult<bool> add = await Client.AddPortMappingAsync(Entry(request, request.ExternalPort, lease), cancellationToken).ConfigureAwait(false);

        // One retry at most, whatever the fault: a loop could leave several permanent mappings behind (docs/quirks.md#Q-UPNP-LEASE-FAULTS).
        if (add.IsFault(UpnpErrorCode.OnlyPermanentLeasesSupported) && lease != 0)
        {
            notes.Add(new LeaseRetriedNote(add.Fault!.RawCode, add.Fault.Code, lease, 0));
            lease = 0;
            add = await Client.AddPortMappingAsync(Entry(request, request.ExternalPort, lease), cancellationToken).ConfigureAwait(false);
        }
        else if (add.IsFault(UpnpErrorCode.InvalidArgs))
        {
            uint other = lease == 0 ? MaxFiniteLeaseSeconds : 0;
            notes.Add(new LeaseRetriedNote(add.Fault!.RawCode, add.Fault.Code, lease, other));
            lease = other;
            add = await Client.AddPortMappingAsync(Entry(request, request.ExternalPort, lease), cancellationToken).ConfigureAwait(false);
        }

        int externalPort = request.ExternalPort;
        if (add.IsFault(UpnpErrorCode.ConflictInMappingEntry))
        {
            (MappingOutcome? failure, int granted) = await ResolveConflictAsync(request, lease, notes, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }

            externalPort = granted;
        }
        else if (add.IsFault(UpnpErrorCode.ActionNotAuthorized))
        {
            return MappingOutcome.Fail(UpnpFaultFailure.From(MappingOperation.Map, add.Fault!), notes);
        }
        else if (!add.Succeeded)
        {
            return Failed(add, MappingOperation.Map, notes);
        }

        return await ReadBackAsync(prepared, externalPort, lease, notes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>718: find who holds the port. Returns a failure, or the external port to read back.</summary>
    private async Task<(MappingOutcome? Failure, int ExternalPort)> ResolveConflictAsync(MappingRequest request, uint lease, List<MappingNote> notes, CancellationToken cancellationToken)
    {
        UpnpCallResult<PortMappingEntry> holder = await Client.GetSpecificPortMappingEntryAsync(request.Protocol, request.ExternalPort, cancellationToken).ConfigureAwait(false);
        if (!holder.Succeeded)
        {
            // Secure-mode miniupnpd answers 718 when NewInternalClient is not the sender's own address (docs/quirks.md#Q-UPNP-INTERNAL-CLIENT).
            return (MappingOutcome.Fail(new ConflictWithoutHolderFailure(request.InternalClient), notes), 0);
        }

        PortMappingEntry held = holder.Value!;
        bool ours = IPAddress.TryParse(held.InternalClient, out IPAddress? heldBy) && heldBy.Equals(request.InternalClient);
        if (ours)
        {
            notes.Add(new AlreadyHeldNote());
            return (null, request.ExternalPort);
        }

        string holderText = SsdpPrintable(held.InternalClient);
        if (AllowAlternativeExternalPort && IsIgd2)
        {
            UpnpCallResult<int> any = await Client.AddAnyPortMappingAsync(Entry(request, request.ExternalPort, lease), cancellationToken).ConfigureAwait(false);
            if (any.Succeeded)
            {
                notes.Add(new OtherPortGrantedNote(holderText, held.InternalPort, any.Value));
                return (null, any.Value);
            }

            notes.Add(new OtherPortRefusedNote(any.Fault?.RawCode));
        }

        return (MappingOutcome.Fail(new HeldByOtherHostFailure(holderText, held.InternalPort, SsdpPrintable(held.Description)), notes), 0);
    }

    private async Task<MappingOutcome> ReadBackAsync(PreparedMapping prepared, int externalPort, uint lease, List<MappingNote> notes, CancellationToken cancellationToken)
    {
        MappingRequest request = prepared.Request;
        UpnpCallResult<PortMappingEntry> back = await Client.GetSpecificPortMappingEntryAsync(request.Protocol, externalPort, cancellationToken).ConfigureAwait(false);
        if (back.IsFault(UpnpErrorCode.NoSuchEntryInArray))
        {
            return MappingOutcome.Fail(new ReadBackMissingFailure(), notes);
        }

        uint grantedLease = lease;
        if (!back.Succeeded)
        {
            notes.Add(new ReadBackUnavailableNote(back.Fault?.RawCode));
        }
        else
        {
            PortMappingEntry entry = back.Value!;
            bool clientMatches = IPAddress.TryParse(entry.InternalClient, out IPAddress? client) && client.Equals(request.InternalClient);
            bool leaseMatches = lease == 0 || entry.LeaseSeconds == 0 || entry.LeaseSeconds <= lease + LeaseSlackSeconds;
            if (!clientMatches || entry.InternalPort != request.InternalPort || !leaseMatches)
            {
                return MappingOutcome.Fail(
                    new ReadBackDiffersFailure(request.InternalClient, request.InternalPort, lease, SsdpPrintable(entry.InternalClient), entry.InternalPort, entry.LeaseSeconds),
                    notes);
            }

            if (lease != 0 && entry.LeaseSeconds == 0)
            {
                notes.Add(new MadePermanentNote());
                grantedLease = 0;
            }
        }

        MappingRecord record = prepared.Intent with { ExternalPort = externalPort, Lease = TimeSpan.FromSeconds(grantedLease) };
        return MappingOutcome.Success(record, notes);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        long started = Stopwatch.GetTimestamp();
        try
        {
            // Do not delete a mapping someone else made on the same port after ours expired.
            UpnpCallResult<PortMappingEntry> current = await Client.GetSpecificPortMappingEntryAsync(record.Protocol, record.ExternalPort, cancellationToken).ConfigureAwait(false);
            if (current.IsFault(UpnpErrorCode.NoSuchEntryInArray))
            {
                return MappingOutcome.Success(record, new AlreadyGoneNote());
            }

            if (current.Succeeded && !(IPAddress.TryParse(current.Value!.InternalClient, out IPAddress? holder) && holder.Equals(record.InternalClient)))
            {
                return MappingOutcome.Success(record, new ForwardsElsewhereNote(SsdpPrintable(current.Value.InternalClient)));
            }

            UpnpCallResult<bool> delete = await Client.DeletePortMappingAsync(record.Protocol, record.ExternalPort, cancellationToken).ConfigureAwait(false);
            if (delete.Succeeded)
            {
                return MappingOutcome.Success(record);
            }

            return delete.IsFault(UpnpErrorCode.NoSuchEntryInArray)
                ? MappingOutcome.Success(record, new AlreadyGoneNote())
                : Failed(delete, MappingOperation.Delete, []);
        }
        catch (Exception ex) when (ex is TimeoutException or HttpRequestException)
        {
            return MappingOutcome.Fail(Unanswered(ex, started));
        }
    }

    /// <inheritdoc/>
    /// <exception cref="UpnpActionException">The router answered with a fault other than 714 or an unusable answer.</exception>
    /// <exception cref="TimeoutException">The router did not answer in time.</exception>
    /// <exception cref="HttpRequestException">The control URL could not be reached.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<MappingRecord?> FindMappingAsync(TransportProtocol protocol, int externalPort, CancellationToken cancellationToken)
    {
        MapperParts.CheckPort(externalPort, nameof(externalPort));
        UpnpCallResult<PortMappingEntry> result = await Client.GetSpecificPortMappingEntryAsync(protocol, externalPort, cancellationToken).ConfigureAwait(false);
        if (result.IsFault(UpnpErrorCode.NoSuchEntryInArray))
        {
            return null;
        }

        if (!result.Succeeded)
        {
            throw new UpnpActionException(UpnpActions.GetSpecificPortMappingEntry, result.Fault, $"GetSpecificPortMappingEntry for {externalPort}/{protocol.ToUpnp()} failed: {result.Describe()}");
        }

        return ToRecord(result.Value!, protocol);
    }

    /// <summary>
    /// Lists the router's whole mapping table with GetGenericPortMappingEntry, index 0 upwards, until the
    /// router answers a fault (713/714 mark the end) or <see cref="MaxListedEntries"/> entries were read.
    /// Entries whose internal client is not an IP address are skipped.
    /// </summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The mappings found, in table order.</returns>
    /// <exception cref="TimeoutException">The router stopped answering.</exception>
    /// <exception cref="HttpRequestException">The control URL could not be reached.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IReadOnlyList<MappingRecord>> ListMappingsAsync(CancellationToken cancellationToken)
    {
        var records = new List<MappingRecord>();
        for (int index = 0; index < MaxListedEntries; index++)
        {
            UpnpCallResult<PortMappingEntry> result = await Client.GetGenericPortMappingEntryAsync(index, cancellationToken).ConfigureAwait(false);
            if (result.Fault is not null)
            {
                break; // 713/714 is the normal end; other faults (some routers send 402 or 501) end the table too.
            }

            if (result.Succeeded && TransportProtocolNames.TryParse(result.Value!.Protocol, out TransportProtocol protocol) && ToRecord(result.Value, protocol) is MappingRecord record)
            {
                records.Add(record);
            }
        }

        return records;
    }

    private MappingRecord? ToRecord(PortMappingEntry entry, TransportProtocol protocol) =>
        IPAddress.TryParse(entry.InternalClient, out IPAddress? client)
            ? WithServiceOf(new MappingRecord
            {
                Method = Method,
                Gateway = _gatewayAddress,
                Protocol = protocol,
                ExternalPort = entry.ExternalPort,
                InternalClient = client,
                InternalPort = entry.InternalPort,
                Lease = TimeSpan.FromSeconds(entry.LeaseSeconds),
            })
            : null;

    /// <summary>Adds what deletes the mapping without discovery: the service's control URL and type, and where it was described.</summary>
    private MappingRecord WithServiceOf(MappingRecord record) =>
        record with { ControlUrl = Client.ControlUrl, ServiceType = Client.ServiceType, DescriptionUrl = _descriptionUrl };

    /// <summary>The failure for a call that ended with <paramref name="ex"/>: an unreachable control URL
    /// (<see cref="HttpRequestException"/>), else no answer in time.</summary>
    private MappingFailure Unanswered(Exception ex, long started) =>
        ex is HttpRequestException
            ? new ControlUrlUnreachableFailure(Client.ControlUrl)
            : new NoAnswerFailure(Client.ControlUrl.ToString(), (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);

    private static PortMappingEntry Entry(MappingRequest request, int externalPort, uint lease) => new(
        string.Empty,
        externalPort,
        request.Protocol.ToUpnp(),
        request.InternalPort,
        request.InternalClient.ToString(),
        true,
        request.Description ?? string.Empty,
        lease);

    private static MappingOutcome Failed<T>(UpnpCallResult<T> result, MappingOperation operation, List<MappingNote> notes) =>
        result.Fault is not null
            ? MappingOutcome.Fail(UpnpFaultFailure.From(operation, result.Fault), notes)
            : MappingOutcome.Fail(new UnusableAnswerFailure(operation), notes);

    private static string SsdpPrintable(string value) =>
        new(value.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
