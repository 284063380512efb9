using System.Globalization;
using System.Net;
using PortDoctor.Core.Mapping;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Upnp;

/// <summary>
/// <see cref="IPortMapper"/> over UPnP IGD (WANIPConnection:1/2, WANPPPConnection:1). Reacts to faults the
/// way the IGD specifications intend, each retry at most once (shared case c06), reads every new mapping
/// back, and reports failures as data.
/// </summary>
public sealed class UpnpPortMapper : IPortMapper, IUpnpDetails
{
    /// <summary>The largest finite lease IGD:2 allows, in seconds (one week, WANIPConnection:2 §2.3.17).</summary>
    public const uint MaxFiniteLeaseSeconds = 604800;

    /// <summary>How many table entries <see cref="ListMappingsAsync"/> reads at most (bounds a lying router).</summary>
    public const int MaxListedEntries = 256;

    /// <summary>Tolerance in seconds when comparing the lease read back (routers report the remaining time, rounded).</summary>
    public const uint LeaseSlackSeconds = 5;

    /// <summary>The advice given when the router refuses mapping changes (606).</summary>
    public const string NotAuthorizedAdvice = "enable UPnP mapping changes in the router's settings";

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
        GatewayDescription = gatewayDescription;
        IsIgd2 = isIgd2;
        _descriptionUrl = descriptionUrl;
    }

    /// <inheritdoc/>
    public string Method => "upnp";

    /// <inheritdoc/>
    public string GatewayDescription { get; }

    /// <summary>The control client used.</summary>
    public UpnpIgdClient Client { get; }

    /// <inheritdoc />
    public Uri ControlUrl => Client.ControlUrl;

    /// <inheritdoc />
    public string ServiceType => Client.ServiceType;

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
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 1–65535 or the lease is negative.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<MappingOutcome> MapAsync(MappingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckPort(request.ExternalPort, nameof(request));
        CheckPort(request.InternalPort, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Lease, TimeSpan.Zero, nameof(request));
        try
        {
            return await MapCoreAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            return MappingOutcome.Fail(MappingFailureKind.NoAnswer, ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return MappingOutcome.Fail(MappingFailureKind.NoAnswer, $"cannot reach the router's control URL {Client.ControlUrl}: {ex.Message}");
        }
    }

    private async Task<MappingOutcome> MapCoreAsync(MappingRequest request, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        uint lease = (uint)Math.Min(request.Lease.TotalSeconds, uint.MaxValue);
        if (IsIgd2 && lease > MaxFiniteLeaseSeconds)
        {
            notes.Add($"lease capped at {MaxFiniteLeaseSeconds} s (IGD:2 maximum)");
            lease = MaxFiniteLeaseSeconds;
        }

        UpnpCallResult<bool> add = await Client.AddPortMappingAsync(Entry(request, request.ExternalPort, lease), cancellationToken).ConfigureAwait(false);

        // One retry at most, whatever the fault: a loop could leave several permanent mappings behind (c06).
        if (add.IsFault(UpnpErrorCode.OnlyPermanentLeasesSupported) && lease != 0)
        {
            notes.Add($"the router accepts only permanent mappings ({add.Fault}); retried with lease 0, the mapping stays until it is closed");
            lease = 0;
            add = await Client.AddPortMappingAsync(Entry(request, request.ExternalPort, lease), cancellationToken).ConfigureAwait(false);
        }
        else if (add.IsFault(UpnpErrorCode.InvalidArgs))
        {
            uint other = lease == 0 ? MaxFiniteLeaseSeconds : 0;
            notes.Add($"the router refused lease {lease} s ({add.Fault}); retried once with lease {other} s");
            lease = other;
            add = await Client.AddPortMappingAsync(Entry(request, request.ExternalPort, lease), cancellationToken).ConfigureAwait(false);
        }

        int externalPort = request.ExternalPort;
        if (add.IsFault(UpnpErrorCode.ConflictInMappingEntry))
        {
            (MappingOutcome? failure, int granted) = await ResolveConflictAsync(request, lease, add.Fault!, notes, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }

            externalPort = granted;
        }
        else if (add.IsFault(UpnpErrorCode.ActionNotAuthorized))
        {
            return MappingOutcome.Fail(
                MappingFailureKind.NotAuthorized,
                With(notes, $"the router does not allow this PC to add mappings ({add.Fault}): {NotAuthorizedAdvice}"));
        }
        else if (!add.Succeeded)
        {
            return Failed(add, UpnpActions.AddPortMapping, notes);
        }

        return await ReadBackAsync(request, externalPort, lease, notes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>718: find who holds the port. Returns a failure, or the external port to read back.</summary>
    private async Task<(MappingOutcome? Failure, int ExternalPort)> ResolveConflictAsync(MappingRequest request, uint lease, UpnpFault fault, List<string> notes, CancellationToken cancellationToken)
    {
        string key = $"{request.ExternalPort}/{request.Protocol.ToUpnp()}";
        UpnpCallResult<PortMappingEntry> holder = await Client.GetSpecificPortMappingEntryAsync(request.Protocol, request.ExternalPort, cancellationToken).ConfigureAwait(false);
        if (!holder.Succeeded)
        {
            // Secure-mode miniupnpd answers 718 when NewInternalClient is not the sender's own address (c13).
            return (MappingOutcome.Fail(
                MappingFailureKind.RouterError,
                With(notes, $"the router refused port {key} ({fault}) but reports no mapping holding it ({holder.Describe()}); " +
                    $"routers in secure mode answer this when the internal client ({request.InternalClient}) is not the address this PC uses toward the router")), 0);
        }

        PortMappingEntry held = holder.Value!;
        bool ours = IPAddress.TryParse(held.InternalClient, out IPAddress? heldBy) && heldBy.Equals(request.InternalClient);
        if (ours)
        {
            notes.Add($"the router already holds {key} for this PC; kept that mapping");
            return (null, request.ExternalPort);
        }

        string holderText = SsdpPrintable(held.InternalClient);
        string heldDetail = $"external port {key} is forwarded to {holderText}:{held.InternalPort}" +
            (held.Description.Length > 0 ? $" ('{SsdpPrintable(held.Description)}')" : string.Empty);
        if (AllowAlternativeExternalPort && IsIgd2)
        {
            UpnpCallResult<int> any = await Client.AddAnyPortMappingAsync(Entry(request, request.ExternalPort, lease), cancellationToken).ConfigureAwait(false);
            if (any.Succeeded)
            {
                notes.Add($"{heldDetail}; the router granted external port {any.Value} instead");
                return (null, any.Value);
            }

            notes.Add($"AddAnyPortMapping failed too ({any.Describe()})");
        }

        return (MappingOutcome.Fail(
            MappingFailureKind.ConflictWithOtherHost,
            With(notes, $"{heldDetail}, another host on the LAN; choose another external port or remove that mapping in the router"),
            holderText), 0);
    }

    private async Task<MappingOutcome> ReadBackAsync(MappingRequest request, int externalPort, uint lease, List<string> notes, CancellationToken cancellationToken)
    {
        string key = $"{externalPort}/{request.Protocol.ToUpnp()}";
        UpnpCallResult<PortMappingEntry> back = await Client.GetSpecificPortMappingEntryAsync(request.Protocol, externalPort, cancellationToken).ConfigureAwait(false);
        if (back.IsFault(UpnpErrorCode.NoSuchEntryInArray))
        {
            return MappingOutcome.Fail(MappingFailureKind.ReadBackMismatch, With(notes, $"the router accepted {key} but holds no such mapping when asked back ({back.Fault})"));
        }

        uint grantedLease = lease;
        if (!back.Succeeded)
        {
            notes.Add($"could not read the mapping back ({back.Describe()}); trusting the router's yes");
        }
        else
        {
            PortMappingEntry entry = back.Value!;
            bool clientMatches = IPAddress.TryParse(entry.InternalClient, out IPAddress? client) && client.Equals(request.InternalClient);
            bool leaseMatches = lease == 0 || entry.LeaseSeconds == 0 || entry.LeaseSeconds <= lease + LeaseSlackSeconds;
            if (!clientMatches || entry.InternalPort != request.InternalPort || !leaseMatches)
            {
                return MappingOutcome.Fail(
                    MappingFailureKind.ReadBackMismatch,
                    With(notes, $"asked for {key} → {request.InternalClient}:{request.InternalPort}, lease {lease} s; " +
                        $"the router holds {key} → {SsdpPrintable(entry.InternalClient)}:{entry.InternalPort}, lease {entry.LeaseSeconds} s"));
            }

            if (lease != 0 && entry.LeaseSeconds == 0)
            {
                notes.Add("the router made the mapping permanent (lease 0); it stays until it is closed");
                grantedLease = 0;
            }
        }

        var record = new MappingRecord
        {
            Method = Method,
            Gateway = _gatewayAddress,
            Protocol = request.Protocol,
            ExternalPort = externalPort,
            InternalClient = request.InternalClient,
            InternalPort = request.InternalPort,
            Lease = TimeSpan.FromSeconds(grantedLease),
            ControlUrl = Client.ControlUrl,
            ServiceType = Client.ServiceType,
            DescriptionUrl = _descriptionUrl,
        };
        return MappingOutcome.Success(record, notes.Count == 0 ? null : string.Join("; ", notes));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        string key = $"{record.ExternalPort}/{record.Protocol.ToUpnp()}";
        try
        {
            // Do not delete a mapping someone else made on the same port after ours expired.
            UpnpCallResult<PortMappingEntry> current = await Client.GetSpecificPortMappingEntryAsync(record.Protocol, record.ExternalPort, cancellationToken).ConfigureAwait(false);
            if (current.IsFault(UpnpErrorCode.NoSuchEntryInArray))
            {
                return MappingOutcome.Success(record, $"{key} was already gone");
            }

            if (current.Succeeded && !(IPAddress.TryParse(current.Value!.InternalClient, out IPAddress? holder) && holder.Equals(record.InternalClient)))
            {
                return MappingOutcome.Success(record, $"{key} now forwards to {SsdpPrintable(current.Value.InternalClient)}, not to this PC; left it alone");
            }

            UpnpCallResult<bool> delete = await Client.DeletePortMappingAsync(record.Protocol, record.ExternalPort, cancellationToken).ConfigureAwait(false);
            if (delete.Succeeded)
            {
                return MappingOutcome.Success(record);
            }

            return delete.IsFault(UpnpErrorCode.NoSuchEntryInArray)
                ? MappingOutcome.Success(record, $"{key} was already gone")
                : Failed(delete, UpnpActions.DeletePortMapping, []);
        }
        catch (TimeoutException ex)
        {
            return MappingOutcome.Fail(MappingFailureKind.NoAnswer, ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return MappingOutcome.Fail(MappingFailureKind.NoAnswer, $"cannot reach the router's control URL {Client.ControlUrl}: {ex.Message}");
        }
    }

    /// <inheritdoc/>
    /// <exception cref="UpnpActionException">The router answered with a fault other than 714 or an unusable answer.</exception>
    /// <exception cref="TimeoutException">The router did not answer in time.</exception>
    /// <exception cref="HttpRequestException">The control URL could not be reached.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<MappingRecord?> FindMappingAsync(TransportProtocol protocol, int externalPort, CancellationToken cancellationToken)
    {
        CheckPort(externalPort, nameof(externalPort));
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
            ? new MappingRecord
            {
                Method = Method,
                Gateway = _gatewayAddress,
                Protocol = protocol,
                ExternalPort = entry.ExternalPort,
                InternalClient = client,
                InternalPort = entry.InternalPort,
                Lease = TimeSpan.FromSeconds(entry.LeaseSeconds),
                ControlUrl = Client.ControlUrl,
                ServiceType = Client.ServiceType,
                DescriptionUrl = _descriptionUrl,
            }
            : null;

    private static PortMappingEntry Entry(MappingRequest request, int externalPort, uint lease) => new(
        string.Empty,
        externalPort,
        request.Protocol.ToUpnp(),
        request.InternalPort,
        request.InternalClient.ToString(),
        true,
        request.Description ?? string.Empty,
        lease);

    private static MappingOutcome Failed<T>(UpnpCallResult<T> result, string action, List<string> notes) =>
        result.Fault is not null
            ? MappingOutcome.Fail(MappingFailureKind.RouterError, With(notes, $"{action} failed: {result.Fault}"))
            : MappingOutcome.Fail(MappingFailureKind.MalformedAnswer, With(notes, $"{action}: unusable answer: {result.Error}"));

    private static string With(List<string> notes, string message) =>
        notes.Count == 0 ? message : $"{message} (earlier: {string.Join("; ", notes)})";

    private static string SsdpPrintable(string value) =>
        new(value.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static void CheckPort(int port, string paramName)
    {
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(paramName, port.ToString(CultureInfo.InvariantCulture), "A port must be 1–65535.");
        }
    }
}
