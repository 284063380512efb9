using System.Net;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Ports;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Core.Tests.Workflows;

internal sealed class FakeMapper : IPortMapper
{
    public string Method => "upnp";

    public string GatewayDescription => "ExampleNet XR-120N (Home Router)";

    public IPAddress? External { get; set; } = IPAddress.Parse("11.0.0.2");

    public Func<MappingRequest, MappingOutcome>? OnMap { get; set; }

    public List<MappingRequest> Maps { get; } = [];

    public List<MappingRecord> Unmaps { get; } = [];

    public TaskCompletionSource? BlockMap { get; set; }

    public Task<IPAddress?> GetExternalAddressAsync(CancellationToken cancellationToken) => Task.FromResult(External);

    public async Task<MappingOutcome> MapAsync(MappingRequest request, CancellationToken cancellationToken)
    {
        Maps.Add(request);
        if (BlockMap is not null)
        {
            await BlockMap.Task.WaitAsync(cancellationToken);
        }

        return OnMap?.Invoke(request) ?? MappingOutcome.Success(new MappingRecord
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
        });
    }

    public Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken)
    {
        Unmaps.Add(record);
        return Task.FromResult(MappingOutcome.Success(record));
    }

    public Task<MappingRecord?> FindMappingAsync(TransportProtocol protocol, int externalPort, CancellationToken cancellationToken) =>
        Task.FromResult<MappingRecord?>(null);
}

internal sealed class FakeProbe(params IPortMapper[] mappers) : IGatewayProbe
{
    public int Calls { get; private set; }

    public Task<GatewayProbeResult> ProbeAsync(IReadOnlyList<GatewayInfo> gateways, CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult(new GatewayProbeResult(mappers, mappers.Length == 0 ? ["SSDP: no reply"] : [], TimeSpan.FromMilliseconds(250)));
    }
}

internal sealed class FakeFactory(FakeMapper mapper) : IMapperFactory
{
    public IPortMapper? ForRecord(MappingRecord record) => record.Method == "upnp" ? mapper : null;
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

    public Task<CheckerAddressResult> GetMyAddressAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new CheckerAddressResult(IPAddress.Parse("11.0.0.2"), 40000, null));

    public Task<CheckerCheckResult> CheckAsync(int port, TransportProtocol protocol, string? nonce, CancellationToken cancellationToken)
    {
        Checks++;
        return Task.FromResult(error is not null
            ? CheckerCheckResult.Failed(error)
            : new CheckerCheckResult(state, kind == CheckerKind.PortDoctor ? 1.5 : null, IPAddress.Parse("11.0.0.2"), DistinguishesClosed: kind == CheckerKind.PortDoctor, null));
    }
}
