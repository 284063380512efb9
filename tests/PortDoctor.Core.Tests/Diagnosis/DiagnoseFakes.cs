using PortDoctor.Core.Localization;
using System.Buffers.Binary;
using System.Net;
using System.Threading.Channels;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Firewall;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Ports;
using PortDoctor.Core.Reachability;
using PortDoctor.Core.Stun;
using PortDoctor.Core.Tests.Fakes;
using PortDoctor.Core.Workflows;
using PortDoctor.Protocol.Stun;

namespace PortDoctor.Core.Tests.Diagnosis;

/// <summary>The home network most tests start from: PC 192.168.77.10/24 behind router 192.168.77.1.</summary>
internal static class Home
{
    public static readonly GatewayInfo Gateway = new(IPAddress.Parse("192.168.77.1"), IPAddress.Parse("192.168.77.10"), 24, "eth0");

    public static readonly GatewayInfo PublicHostGateway = new(IPAddress.Parse("11.0.0.1"), IPAddress.Parse("11.0.0.10"), 24, "eth0");

    public static IPAddress Ip(string text) => IPAddress.Parse(text);

    public static MappingRecord Mapping(string client, int internalPort, int externalPort = 8080, int leaseSeconds = 3600) => new()
    {
        Method = MappingMethod.Upnp,
        Gateway = Gateway.Gateway,
        Protocol = TransportProtocol.Tcp,
        ExternalPort = externalPort,
        InternalClient = IPAddress.Parse(client),
        InternalPort = internalPort,
        Lease = TimeSpan.FromSeconds(leaseSeconds),
    };
}

/// <summary>A router protocol that answered the probe. Diagnose is read-only: mapping through it fails the test.</summary>
internal sealed class RouterFake(string method) : IPortMapper
{
    public MappingMethod Method { get; } = MappingMethods.TryParse(method, out var m) ? m : throw new ArgumentException("unknown method " + method, nameof(method));

    public Text GatewayDescription { get; init; } = Text.Of("Common.Verbatim", "router at 192.168.77.1");

    public IPAddress? External { get; init; }

    public MappingRecord? Entry { get; init; }

    public Exception? TableError { get; init; }

    public int TableReads { get; private set; }

    public bool CanListMappings => Method == MappingMethod.Upnp;

    public Task<IPAddress?> GetExternalAddressAsync(CancellationToken cancellationToken) => Task.FromResult(External);

    public MappingFailure? Declines(MappingRequest request) => null;

    public PreparedMapping Prepare(MappingRequest request, MappingRecord? replacing = null) =>
        throw new InvalidOperationException("diagnose must not map");

    public Task<MappingOutcome> MapAsync(PreparedMapping prepared, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("diagnose must not map");

    public Task<MappingOutcome> RenewAsync(MappingRecord record, MappingRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("diagnose must not renew");

    public Task<PresenceCheck> CheckPresenceAsync(MappingRecord record, TimeSpan budget, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("diagnose does not keep mappings");

    public Task<MappingOutcome> UnmapAsync(MappingRecord record, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("diagnose must not unmap");

    public Task<MappingRecord?> FindMappingAsync(TransportProtocol protocol, int externalPort, CancellationToken cancellationToken)
    {
        TableReads++;
        return TableError is not null ? Task.FromException<MappingRecord?>(TableError) : Task.FromResult(Entry);
    }

    public IPortMapper? FallbackAfter(MappingOutcome failed) => null;
}

/// <summary>A gateway probe with a fixed answer; <see cref="Gate"/> holds it until released (concurrency tests).</summary>
internal sealed class ProbeFake(GatewayProbeResult result) : IGatewayProbe
{
    public ProbeFake(params IPortMapper[] mappers)
        : this(new GatewayProbeResult(mappers, [], TimeSpan.FromMilliseconds(250)))
    {
    }

    public Func<CancellationToken, Task>? Gate { get; init; }

    public Task<GatewayProbeResult> ProbeAsync(IReadOnlyList<GatewayInfo> gateways, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("diagnose asks every protocol (ProbeAllAsync)");

    public async Task<GatewayProbeResult> ProbeAllAsync(IReadOnlyList<GatewayInfo> gateways, CancellationToken cancellationToken)
    {
        if (Gate is not null)
        {
            await Gate(cancellationToken);
        }

        return result;
    }
}

/// <summary>A checker with a scripted address answer and check result; <see cref="Gate"/> holds both calls.</summary>
internal sealed class CheckerFake(CheckerKind kind = CheckerKind.PortDoctor, string url = "http://11.0.0.1:8088/") : ICheckerClient
{
    public CheckerEndpoint Endpoint { get; } = new(kind, new Uri(url));

    public CheckerAddressResult Address { get; init; } = new(IPAddress.Parse("11.0.0.2"), 40000, null);

    public CheckerCheckResult Result { get; init; } = new(ReachabilityState.Open, 1.5, IPAddress.Parse("11.0.0.2"), true, null);

    public Func<CancellationToken, Task>? Gate { get; init; }

    public int Checks { get; private set; }

    public async Task<CheckerAddressResult> GetMyAddressAsync(CancellationToken cancellationToken)
    {
        if (Gate is not null)
        {
            await Gate(cancellationToken);
        }

        return Address;
    }

    public async Task<CheckerCheckResult> CheckAsync(int port, TransportProtocol protocol, string? nonce, CancellationToken cancellationToken)
    {
        Checks++;
        if (Gate is not null)
        {
            await Gate(cancellationToken);
        }

        return Result;
    }
}

/// <summary>A hop probe with a fixed path; records the target it was asked about.</summary>
internal sealed class HopsFake(params string?[] hops) : IHopProbe
{
    public List<IPAddress> Targets { get; } = [];

    public Func<CancellationToken, Task>? Gate { get; init; }

    public async Task<IReadOnlyList<IPAddress?>> TraceAsync(IPAddress target, int maxHops, CancellationToken cancellationToken)
    {
        Targets.Add(target);
        if (Gate is not null)
        {
            await Gate(cancellationToken);
        }

        return [.. hops.Take(maxHops).Select(h => h is null ? null : IPAddress.Parse(h))];
    }
}

/// <summary>
/// In-memory UDP for <see cref="StunClient"/>: every Binding request is answered with a success response whose
/// XOR-MAPPED-ADDRESS is <paramref name="mapped"/> (RFC 8489 §14.2), or not at all when it is null.
/// </summary>
internal sealed class StunTransportFake(IPEndPoint? mapped) : IUdpTransport
{
    private readonly Channel<(byte[] Data, IPEndPoint From)> _inbox = Channel.CreateUnbounded<(byte[], IPEndPoint)>();

    public Func<CancellationToken, Task>? Gate { get; init; }

    public IPEndPoint? LocalEndPoint { get; private set; }

    public void Bind(IPEndPoint localEndPoint) => LocalEndPoint = localEndPoint;

    public void SetMulticastInterface(IPAddress interfaceAddress, int timeToLive) => throw new NotSupportedException();

    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remoteEndPoint, CancellationToken cancellationToken)
    {
        if (mapped is null)
        {
            return;
        }

        if (Gate is not null)
        {
            await Gate(cancellationToken);
        }

        var m = new byte[32];
        BinaryPrimitives.WriteUInt16BigEndian(m, StunConstants.BindingSuccessResponse);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), 12);
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(4), StunConstants.MagicCookie);
        datagram.Span.Slice(8, 12).CopyTo(m.AsSpan(8));
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(20), (ushort)StunAttributeType.XorMappedAddress);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(22), 8);
        m[25] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(26), (ushort)(mapped.Port ^ 0x2112));
        var a = mapped.Address.GetAddressBytes();
        for (int i = 0; i < 4; i++)
        {
            m[28 + i] = (byte)(a[i] ^ m[4 + i]);
        }

        _inbox.Writer.TryWrite((m, remoteEndPoint));
    }

    public async ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var (data, from) = await _inbox.Reader.ReadAsync(cancellationToken);
        data.CopyTo(buffer);
        return new ReceivedDatagram(data.Length, from);
    }

    public void Dispose() => _inbox.Writer.TryComplete();
}

/// <summary>A host firewall with one fixed verdict; diagnose never changes it.</summary>
internal sealed class FirewallFake(FirewallVerdict verdict) : IHostFirewall
{
    public string Name => verdict.Backend;

    public Task<FirewallState> InspectAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new FirewallState(Name, true, Name + " is active", []));

    public Task<FirewallVerdict> EvaluateInboundAsync(InboundQuery query, CancellationToken cancellationToken) => Task.FromResult(verdict);

    public Task<FirewallChangeResult> AddAllowRuleAsync(InboundQuery query, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("diagnose must not add rules");

    public Task<FirewallChangeResult> RemoveRuleAsync(FirewallRuleHandle handle, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("diagnose must not remove rules");
}

/// <summary>Port owners: one program on the given ports, nothing elsewhere.</summary>
internal sealed class OwnersFake(params int[] listening) : IPortOwnerLookup
{
    public IReadOnlyList<PortOwner> FindOwners(TransportProtocol protocol, int port) => listening.Contains(port)
        ? [new PortOwner(protocol, IPAddress.Any, port, 4242, "encoder", "/usr/bin/encoder")]
        : [];
}

/// <summary>Builds the seams for a diagnose run from fakes; nothing touches the network, sockets or the disk beyond a temp journal.</summary>
internal sealed class DiagnoseSeams : IDisposable
{
    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), "pd-diag-" + Guid.NewGuid().ToString("N"));

    public IReadOnlyList<GatewayInfo> Gateways { get; init; } = [Home.Gateway];

    public IPortOwnerLookup Owners { get; init; } = new OwnersFake(8080);

    public IGatewayProbe Probe { get; init; } = new ProbeFake();

    public ICheckerClient? Checker { get; init; }

    public IHopProbe? Hops { get; init; }

    public StunClient? Stun { get; init; }

    public FakeHostResolver Resolver { get; init; } = new();

    public FakeTcpConnector Connector { get; init; } = new();

    public WorkflowContext Context() => new()
    {
        FindGateways = _ => Gateways,
        PortOwners = Owners,
        GatewayProbe = Probe,
        MapperFactory = new NoMapperFactory(),
        Journal = new ChangeJournal(_stateDir),
        Checker = Checker,
        Hops = Hops,
        Stun = Stun,
        HostResolver = Resolver,
        TcpConnector = Connector,
    };

    public Task<DiagnoseReport> RunAsync(DiagnoseOptions options) =>
        new DiagnoseWorkflow(Context()).RunAsync(options, TestContext.Current.CancellationToken);

    public void Dispose()
    {
        if (Directory.Exists(_stateDir))
        {
            Directory.Delete(_stateDir, recursive: true);
        }
    }

    private sealed class NoMapperFactory : IMapperFactory
    {
        public IPortMapper? ForRecord(MappingRecord record) => null;
    }
}

/// <summary>Releases everyone once <paramref name="parties"/> callers have arrived: proof that they ran at the same time.</summary>
internal sealed class Rendezvous(int parties)
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public int Arrived => Volatile.Read(ref _arrived);

    public Task ArriveAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _arrived) >= parties)
        {
            _all.TrySetResult();
        }

        return _all.Task.WaitAsync(cancellationToken);
    }
}
