using PortDoctor.Core.Localization;
using System.Net;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Ports;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Core.Tests.Workflows;

/// <summary>
/// The protocol-blind parts of a test mapper: prepare builds the intent from the request, renew maps again, presence is
/// a table lookup. Subclasses say how mapping, deleting and looking up behave.
/// </summary>
internal abstract class TestMapperBase : IPortMapper
{
    public virtual MappingMethod Method => MappingMethod.Upnp;

    public virtual Text GatewayDescription => Text.Of("Common.Verbatim", Method + " gateway");

    public virtual bool CanListMappings => Method == MappingMethod.Upnp;

    public List<PreparedMapping> Prepared { get; } = [];

    public virtual Task<IPAddress?> GetExternalAddressAsync(CancellationToken cancellationToken) => Task.FromResult<IPAddress?>(null);

    public virtual MappingFailure? Declines(MappingRequest request) => null;

    /// <summary>The mapping as asked, on the home router's IGD:2 service.</summary>
    protected MappingRecord RecordFor(MappingRequest request) => new MappingRecord
    {
        Method = Method,
        Gateway = IPAddress.Parse("192.168.77.1"),
        Protocol = request.Protocol,
        ExternalPort = request.ExternalPort,
        InternalClient = request.InternalClient,
        InternalPort = request.InternalPort,
        Lease = request.Lease,
        ControlUrl = new Uri("http://192.168.77.1:5000/ctl/IPConn"),
        ServiceType = "urn:schemas-upnp-org:service:WANIPConnection:2",
    };

    public PreparedMapping Prepare(MappingRequest request, MappingRecord? replacing = null)
    {
        var prepared = new PreparedMapping(request, RecordFor(request));
        Prepared.Add(prepared);
        return prepared;
    }

    public Task<MappingOutcome> MapAsync(PreparedMapping prepared, CancellationToken cancellationToken) => MapAsync(prepared.Request, cancellationToken);

    public abstract Task<MappingOutcome> MapAsync(MappingRequest request, CancellationToken cancellationToken);

    public Task<MappingOutcome> RenewAsync(MappingRecord record, MappingRequest request, CancellationToken cancellationToken) => MapAsync(request, cancellationToken);

    public async Task<PresenceCheck> CheckPresenceAsync(MappingRecord record, TimeSpan budget, CancellationToken cancellationToken)
    {
        var held = await FindMappingAsync(record.Protocol, record.ExternalPort, cancellationToken);
        return held is not null && held.InternalClient.Equals(record.InternalClient) ? PresenceCheck.Held : PresenceCheck.Lost;
    }

    public abstract Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken);

    public virtual Task<MappingRecord?> FindMappingAsync(TransportProtocol protocol, int externalPort, CancellationToken cancellationToken) =>
        Task.FromResult<MappingRecord?>(null);

    public virtual IPortMapper? FallbackAfter(MappingOutcome failed) => null;
}

internal sealed class FakeMapper : TestMapperBase
{

    public override Text GatewayDescription => Text.Of("Common.Verbatim", "ExampleNet XR-120N (Home Router)");

    public IPAddress? External { get; set; } = IPAddress.Parse("11.0.0.2");

    public Func<MappingRequest, MappingOutcome>? OnMap { get; set; }

    public List<MappingRequest> Maps { get; } = [];

    public List<MappingRecord> Unmaps { get; } = [];

    public TaskCompletionSource? BlockMap { get; set; }

    public override Task<IPAddress?> GetExternalAddressAsync(CancellationToken cancellationToken) => Task.FromResult(External);

    public override async Task<MappingOutcome> MapAsync(MappingRequest request, CancellationToken cancellationToken)
    {
        Maps.Add(request);
        if (BlockMap is not null)
        {
            await BlockMap.Task.WaitAsync(cancellationToken);
        }

        return OnMap?.Invoke(request) ?? MappingOutcome.Success(RecordFor(request));
    }

    public override Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken)
    {
        Unmaps.Add(record);
        return Task.FromResult(MappingOutcome.Success(record));
    }
}

internal sealed class FakeProbe(params IPortMapper[] mappers) : IGatewayProbe
{
    public int Calls { get; private set; }

    public int FullCalls { get; private set; }

    /// <summary>What a full probe (every protocol waited for) finds; null: the same as the fast one.</summary>
    public IPortMapper[]? Everything { get; init; }

    /// <summary>The router's external address as the first protocol's answer reports it; null: none in the answer.</summary>
    public IPAddress? External { get; init; }

    public Task<GatewayProbeResult> ProbeAsync(IReadOnlyList<GatewayInfo> gateways, CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult(new GatewayProbeResult(mappers, mappers.Length == 0 ? ["SSDP: no reply"] : [], TimeSpan.FromMilliseconds(250))
        {
            Answers = External is null || mappers.Length == 0 ? [] : [new ProtocolAnswer(mappers[0], External, TimeSpan.FromMilliseconds(5))],
        });
    }

    public Task<GatewayProbeResult> ProbeAllAsync(IReadOnlyList<GatewayInfo> gateways, CancellationToken cancellationToken)
    {
        FullCalls++;
        var found = Everything ?? mappers;
        return Task.FromResult(new GatewayProbeResult(found, [], TimeSpan.FromMilliseconds(900)));
    }
}

internal sealed class FakeFactory(FakeMapper mapper) : IMapperFactory
{
    public IPortMapper? ForRecord(MappingRecord record) => record.Method == MappingMethod.Upnp ? mapper : null;
}

internal sealed class FakeOwners(bool listening) : IPortOwnerLookup
{
    public IReadOnlyList<PortOwner> FindOwners(TransportProtocol protocol, int port) => listening
        ? [new PortOwner(protocol, IPAddress.Any, port, 4242, "encoder", "/usr/bin/encoder")]
        : [];
}

internal sealed class FakeChecker(ReachabilityState state, CheckerKind kind = CheckerKind.PortDoctor, CheckerError? error = null) : ICheckerClient
{
    public CheckerEndpoint Endpoint { get; } = new(kind, new Uri("http://11.0.0.1:8088/"));

    public int Checks { get; private set; }

    public List<int> CheckedPorts { get; } = [];

    public Task<CheckerAddressResult> GetMyAddressAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new CheckerAddressResult(IPAddress.Parse("11.0.0.2"), 40000, null));

    public Task<CheckerCheckResult> CheckAsync(int port, TransportProtocol protocol, string? nonce, CancellationToken cancellationToken)
    {
        Checks++;
        CheckedPorts.Add(port);
        return Task.FromResult(error is not null
            ? CheckerCheckResult.Failed(error)
            : new CheckerCheckResult(state, kind == CheckerKind.PortDoctor ? 1.5 : null, IPAddress.Parse("11.0.0.2"), DistinguishesClosed: kind == CheckerKind.PortDoctor, null));
    }
}
