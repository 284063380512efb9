using PortDoctor.Core.Localization;
using System.Net;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Upnp;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Tests.Upnp;

public sealed class UpnpPortMapperTests : IAsyncDisposable
{
    private static readonly IPAddress Me = IPAddress.Parse("192.168.1.10");
    private readonly FakeIgdServer _igd;
    private readonly HttpClient _http = new(UpnpHttp.CreateHandler());

    public UpnpPortMapperTests() => _igd = new FakeIgdServer();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _igd.DisposeAsync();
    }

    private UpnpPortMapper Mapper(bool igd2 = false, bool allowAlternative = false) =>
        new(new UpnpIgdClient(_http, _igd.ControlUrl, _igd.ServiceType), IPAddress.Parse("192.168.1.1"), "Fake Router", igd2, new Uri("http://192.168.1.1:5000/rootDesc.xml"))
        {
            AllowAlternativeExternalPort = allowAlternative,
        };

    private static MappingRequest Request(uint leaseSeconds = 3600, int port = 8080, TransportProtocol protocol = TransportProtocol.Tcp) =>
        new(protocol, port, Me, port, TimeSpan.FromSeconds(leaseSeconds), "PortDoctor");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Map_sends_upper_case_protocol_quoted_SOAPAction_this_client_and_reads_back()
    {
        MappingOutcome outcome = await Mapper().MapAsync(Request(protocol: TransportProtocol.Udp), Ct);

        Assert.True(outcome.Succeeded, outcome.MachineReason());
        FakeIgdRequest add = Assert.Single(_igd.Of(UpnpActions.AddPortMapping));
        Assert.Equal("\"urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping\"", add.SoapAction);
        Assert.Equal("UDP", add.Arguments["NewProtocol"]);
        Assert.Equal("192.168.1.10", add.Arguments["NewInternalClient"]);
        Assert.Equal("3600", add.Arguments["NewLeaseDuration"]);
        Assert.Equal("", add.Arguments["NewRemoteHost"]);
        Assert.Equal(1, _igd.Count(UpnpActions.GetSpecificPortMappingEntry));
        MappingRecord r = outcome.Record!;
        Assert.Equal((MappingMethod.Upnp, 8080, 8080, TransportProtocol.Udp), (r.Method, r.ExternalPort, r.InternalPort, r.Protocol));
        Assert.Equal(Me, r.InternalClient);
        Assert.Equal(TimeSpan.FromHours(1), r.Lease);
        Assert.Equal(_igd.ControlUrl, r.ControlUrl);
        Assert.Equal(SsdpSearchTargets.WanIpConnection1, r.ServiceType);
        Assert.Equal(IPAddress.Parse("192.168.1.1"), r.Gateway);
    }

    [Fact]
    public async Task Fake_router_rejects_an_unquoted_SOAPAction()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, _igd.ControlUrl)
        {
            Content = new ReadOnlyMemoryContent(SoapRequestBuilder.GetExternalIPAddress(_igd.ServiceType).Body),
        };
        message.Headers.TryAddWithoutValidation("SOAPAction", $"{_igd.ServiceType}#GetExternalIPAddress");
        using HttpResponseMessage response = await _http.SendAsync(message, Ct);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.True(SoapResponseParser.TryRead(await response.Content.ReadAsByteArrayAsync(Ct), 500, "GetExternalIPAddress", out SoapResponse? parsed, out _));
        Assert.Equal(UpnpErrorCode.InvalidAction, parsed.Fault!.Code);

        // Our client passes the same guard.
        Assert.Equal(IPAddress.Parse("203.0.113.5"), await Mapper().GetExternalAddressAsync(Ct));
    }

    [Fact]
    public async Task Fault_725_retries_exactly_once_with_lease_0()
    {
        _igd.ScriptFault(UpnpActions.AddPortMapping, 725);
        MappingOutcome outcome = await Mapper().MapAsync(Request(3600), Ct);

        Assert.True(outcome.Succeeded, outcome.MachineReason());
        Assert.Equal(["3600", "0"], _igd.Of(UpnpActions.AddPortMapping).Select(r => r.Arguments["NewLeaseDuration"]));
        Assert.Equal(TimeSpan.Zero, outcome.Record!.Lease);
        Assert.Equal([new LeaseRetriedNote(725, UpnpErrorCode.OnlyPermanentLeasesSupported, 3600, 0)], outcome.Notes);
    }

    [Fact]
    public async Task Fault_725_twice_does_not_loop()
    {
        _igd.ScriptFault(UpnpActions.AddPortMapping, 725, times: 5);
        MappingOutcome outcome = await Mapper().MapAsync(Request(3600), Ct);

        Assert.Equal(MappingFailureKind.RouterError, outcome.Failure);
        Assert.Equal(2, _igd.Count(UpnpActions.AddPortMapping));
    }

    [Fact]
    public async Task Fault_402_with_finite_lease_retries_once_with_lease_0()
    {
        _igd.ScriptFault(UpnpActions.AddPortMapping, 402);
        MappingOutcome outcome = await Mapper().MapAsync(Request(7200), Ct);

        Assert.True(outcome.Succeeded, outcome.MachineReason());
        Assert.Equal(["7200", "0"], _igd.Of(UpnpActions.AddPortMapping).Select(r => r.Arguments["NewLeaseDuration"]));
    }

    [Fact]
    public async Task Fault_402_with_lease_0_retries_once_with_604800()
    {
        _igd.ScriptFault(UpnpActions.AddPortMapping, 402, times: 3);
        MappingOutcome outcome = await Mapper().MapAsync(Request(0), Ct);

        Assert.Equal(MappingFailureKind.RouterError, outcome.Failure);
        Assert.Equal(["0", "604800"], _igd.Of(UpnpActions.AddPortMapping).Select(r => r.Arguments["NewLeaseDuration"]));
    }

    [Fact]
    public async Task Fault_606_is_NotAuthorized_with_advice_and_no_retry()
    {
        _igd.ScriptFault(UpnpActions.AddPortMapping, 606, times: 3);
        MappingOutcome outcome = await Mapper().MapAsync(Request(), Ct);

        Assert.Equal(MappingFailureKind.NotAuthorized, outcome.Failure);
        Assert.Equal(new UpnpFaultFailure(MappingOperation.Map, 606, UpnpErrorCode.ActionNotAuthorized), outcome.Reason);
        Assert.Equal(1, _igd.Count(UpnpActions.AddPortMapping));
        Assert.Single(_igd.Requests);
    }

    [Fact]
    public async Task Fault_718_reports_the_host_that_holds_the_port()
    {
        _igd.Table["TCP/8080"] = new PortMappingEntry("", 8080, "TCP", 80, "192.168.1.50", true, "nas", 0);
        MappingOutcome outcome = await Mapper().MapAsync(Request(), Ct);

        Assert.Equal(MappingFailureKind.ConflictWithOtherHost, outcome.Failure);
        Assert.Equal("192.168.1.50", outcome.ConflictHolder);
        Assert.Equal(new HeldByOtherHostFailure("192.168.1.50", 80, "nas"), outcome.Reason);
        Assert.Equal(1, _igd.Count(UpnpActions.AddPortMapping));
        Assert.Equal(0, _igd.Count(UpnpActions.AddAnyPortMapping));
        Assert.Equal("192.168.1.50", _igd.Table["TCP/8080"].InternalClient);
    }

    [Fact]
    public async Task Fault_718_in_secure_mode_without_holder_explains_the_internal_client_rule()
    {
        _igd.ScriptFault(UpnpActions.AddPortMapping, 718);
        MappingOutcome outcome = await Mapper().MapAsync(Request(), Ct);

        Assert.Equal(MappingFailureKind.RouterError, outcome.Failure);
        Assert.Equal(new ConflictWithoutHolderFailure(IPAddress.Parse("192.168.1.10")), outcome.Reason);
        Assert.Null(outcome.ConflictHolder);
    }

    [Fact]
    public async Task Map_718_held_by_this_client_is_fine()
    {
        _igd.Table["TCP/8080"] = new PortMappingEntry("", 8080, "TCP", 8080, "192.168.1.10", true, "old", 3000);
        _igd.ScriptFault(UpnpActions.AddPortMapping, 718);
        MappingOutcome outcome = await Mapper().MapAsync(Request(), Ct);

        Assert.True(outcome.Succeeded, outcome.MachineReason());
        Assert.Equal([new AlreadyHeldNote()], outcome.Notes);
    }

    [Fact]
    public async Task Map_on_IGD2_may_take_another_port_when_allowed()
    {
        await using var igd2 = new FakeIgdServer(SsdpSearchTargets.WanIpConnection2);
        igd2.Table["TCP/8080"] = new PortMappingEntry("", 8080, "TCP", 80, "192.168.1.50", true, "nas", 0);
        var mapper = new UpnpPortMapper(new UpnpIgdClient(_http, igd2.ControlUrl, igd2.ServiceType), IPAddress.Parse("192.168.1.1"), "Fake", isIgd2: true, null)
        {
            AllowAlternativeExternalPort = true,
        };

        MappingOutcome outcome = await mapper.MapAsync(Request(), Ct);

        Assert.True(outcome.Succeeded, outcome.MachineReason());
        Assert.Equal(8081, outcome.Record!.ExternalPort);
        Assert.Equal([new OtherPortGrantedNote("192.168.1.50", 80, 8081)], outcome.Notes);
        Assert.Equal(1, igd2.Count(UpnpActions.AddAnyPortMapping));
        Assert.Equal("\"urn:schemas-upnp-org:service:WANIPConnection:2#AddAnyPortMapping\"", igd2.Of(UpnpActions.AddAnyPortMapping)[0].SoapAction);
    }

    [Fact]
    public async Task Read_back_mismatch_fails_with_both_values()
    {
        _igd.Override = r => r.Action == UpnpActions.GetSpecificPortMappingEntry
            ? _igd.EntryAnswer(r.Action, new PortMappingEntry("", 8080, "TCP", 9090, "192.168.1.99", true, "x", 3600), generic: false)
            : null;
        MappingOutcome outcome = await Mapper().MapAsync(Request(), Ct);

        Assert.Equal(MappingFailureKind.ReadBackMismatch, outcome.Failure);
        Assert.Equal(new ReadBackDiffersFailure(IPAddress.Parse("192.168.1.10"), 8080, 3600, "192.168.1.99", 9090, 3600), outcome.Reason);
    }

    [Fact]
    public async Task Read_back_longer_lease_than_asked_is_a_mismatch()
    {
        _igd.Override = r => r.Action == UpnpActions.GetSpecificPortMappingEntry
            ? _igd.EntryAnswer(r.Action, new PortMappingEntry("", 8080, "TCP", 8080, "192.168.1.10", true, "x", 86400), generic: false)
            : null;
        MappingOutcome outcome = await Mapper().MapAsync(Request(3600), Ct);

        Assert.Equal(MappingFailureKind.ReadBackMismatch, outcome.Failure);
        Assert.Equal(86400, Assert.IsType<ReadBackDiffersFailure>(outcome.Reason).HeldLeaseSeconds);
    }

    [Fact]
    public async Task Read_back_that_finds_nothing_is_a_mismatch()
    {
        _igd.Override = r => r.Action == UpnpActions.AddPortMapping ? _igd.Ok(r.Action) : null; // says yes, stores nothing
        MappingOutcome outcome = await Mapper().MapAsync(Request(), Ct);

        Assert.Equal(MappingFailureKind.ReadBackMismatch, outcome.Failure);
        Assert.IsType<ReadBackMissingFailure>(outcome.Reason);
    }

    [Fact]
    public async Task Router_made_the_mapping_permanent_is_recorded_as_lease_0()
    {
        _igd.Override = r => r.Action == UpnpActions.GetSpecificPortMappingEntry
            ? _igd.EntryAnswer(r.Action, new PortMappingEntry("", 8080, "TCP", 8080, "192.168.1.10", true, "x", 0), generic: false)
            : null;
        MappingOutcome outcome = await Mapper().MapAsync(Request(3600), Ct);

        Assert.True(outcome.Succeeded, outcome.MachineReason());
        Assert.Equal(TimeSpan.Zero, outcome.Record!.Lease);
    }

    [Fact]
    public async Task Unmap_deletes_and_714_counts_as_already_gone()
    {
        UpnpPortMapper mapper = Mapper();
        MappingRecord record = (await mapper.MapAsync(Request(), Ct)).Record!;

        MappingOutcome first = await mapper.UnmapAsync(record, Ct);
        Assert.True(first.Succeeded, first.MachineReason());
        Assert.Empty(_igd.Table);
        Assert.Equal(1, _igd.Count(UpnpActions.DeletePortMapping));

        MappingOutcome second = await mapper.UnmapAsync(record, Ct);
        Assert.True(second.Succeeded);
        Assert.Equal([new AlreadyGoneNote()], second.Notes);
    }

    [Fact]
    public async Task Unmap_leaves_another_hosts_mapping_alone()
    {
        UpnpPortMapper mapper = Mapper();
        MappingRecord record = (await mapper.MapAsync(Request(), Ct)).Record!;
        _igd.Table["TCP/8080"] = new PortMappingEntry("", 8080, "TCP", 8080, "192.168.1.77", true, "other", 0);

        MappingOutcome outcome = await mapper.UnmapAsync(record, Ct);

        Assert.True(outcome.Succeeded);
        Assert.Equal(0, _igd.Count(UpnpActions.DeletePortMapping));
        Assert.Equal([new ForwardsElsewhereNote("192.168.1.77")], outcome.Notes);
    }

    [Fact]
    public async Task Unmap_when_delete_races_to_714_is_success()
    {
        UpnpPortMapper mapper = Mapper();
        MappingRecord record = (await mapper.MapAsync(Request(), Ct)).Record!;
        _igd.ScriptFault(UpnpActions.DeletePortMapping, 714);
        Assert.True((await mapper.UnmapAsync(record, Ct)).Succeeded);
    }

    [Fact]
    public async Task Find_returns_null_on_714_and_the_record_when_present()
    {
        UpnpPortMapper mapper = Mapper();
        Assert.Null(await mapper.FindMappingAsync(TransportProtocol.Tcp, 8080, Ct));
        _igd.Table["UDP/3074"] = new PortMappingEntry("", 3074, "UDP", 3075, "192.168.1.40", true, "game", 0);
        MappingRecord? found = await mapper.FindMappingAsync(TransportProtocol.Udp, 3074, Ct);
        Assert.Equal(IPAddress.Parse("192.168.1.40"), found!.InternalClient);
        Assert.Equal(3075, found.InternalPort);

        _igd.ScriptFault(UpnpActions.GetSpecificPortMappingEntry, 501);
        UpnpActionException ex = await Assert.ThrowsAsync<UpnpActionException>(() => mapper.FindMappingAsync(TransportProtocol.Tcp, 1, Ct));
        Assert.Equal(UpnpErrorCode.ActionFailed, ex.Fault!.Code);
    }

    [Fact]
    public async Task List_reads_generic_entries_until_713()
    {
        _igd.Table["TCP/22"] = new PortMappingEntry("", 22, "TCP", 22, "192.168.1.2", true, "ssh", 0);
        _igd.Table["UDP/53"] = new PortMappingEntry("", 53, "UDP", 53, "192.168.1.3", true, "dns", 100);
        _igd.Table["TCP/80"] = new PortMappingEntry("", 80, "TCP", 8080, "192.168.1.4", true, "web", 0);

        IReadOnlyList<MappingRecord> all = await Mapper().ListMappingsAsync(Ct);

        Assert.Equal([22, 53, 80], all.Select(r => r.ExternalPort));
        Assert.Equal(TransportProtocol.Udp, all[1].Protocol);
        Assert.Equal(TimeSpan.FromSeconds(100), all[1].Lease);
        Assert.Equal(4, _igd.Count(UpnpActions.GetGenericPortMappingEntry));
    }

    [Fact]
    public async Task List_is_bounded_for_a_router_that_never_ends()
    {
        _igd.Override = r => r.Action == UpnpActions.GetGenericPortMappingEntry
            ? _igd.EntryAnswer(r.Action, new PortMappingEntry("", 1000, "TCP", 1000, "192.168.1.2", true, "", 0), generic: true)
            : null;
        IReadOnlyList<MappingRecord> all = await Mapper().ListMappingsAsync(Ct);
        Assert.Equal(UpnpPortMapper.MaxListedEntries, all.Count);
    }

    [Fact]
    public async Task Garbage_external_address_is_unknown()
    {
        byte[] raw = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Upnp", "external-ip-garbage.bin"));
        _igd.Override = r => r.Action == UpnpActions.GetExternalIPAddress ? new FakeIgdAnswer(200, raw, Raw: true) : null;
        Assert.Null(await Mapper().GetExternalAddressAsync(Ct));

        _igd.Override = null;
        _igd.ExternalAddress = "0.0.0.0";
        Assert.Null(await Mapper().GetExternalAddressAsync(Ct));
        _igd.ExternalAddress = "";
        Assert.Null(await Mapper().GetExternalAddressAsync(Ct));
        _igd.ExternalAddress = "100.64.250.247";
        Assert.Equal(IPAddress.Parse("100.64.250.247"), await Mapper().GetExternalAddressAsync(Ct));
    }

    [Fact]
    public async Task Unreachable_control_URL_is_NoAnswer()
    {
        Uri dead;
        await using (var gone = new FakeIgdServer())
        {
            dead = gone.ControlUrl;
        }

        var mapper = new UpnpPortMapper(new UpnpIgdClient(_http, dead, SsdpSearchTargets.WanIpConnection1), IPAddress.Loopback, "gone", false, null);
        MappingOutcome outcome = await mapper.MapAsync(Request(), Ct);
        Assert.Equal(MappingFailureKind.NoAnswer, outcome.Failure);
    }

    [Fact]
    public async Task Map_description_gateway_text_and_method()
    {
        UpnpPortMapper mapper = Mapper();
        Assert.Equal(MappingMethod.Upnp, mapper.Method);
        Assert.Equal("Fake Router", mapper.GatewayDescription.ToString());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => mapper.MapAsync(Request(port: 0), Ct));
    }

    [Fact]
    public void The_intent_carries_the_control_url_and_service_type_needed_to_delete_without_discovery()
    {
        PreparedMapping prepared = Mapper().Prepare(Request(protocol: TransportProtocol.Udp));

        Assert.Equal(_igd.ControlUrl, prepared.Intent.ControlUrl);
        Assert.Equal(_igd.ServiceType, prepared.Intent.ServiceType);
        Assert.Equal(MappingMethod.Upnp, prepared.Intent.Method);
        Assert.Empty(_igd.Of(UpnpActions.AddPortMapping)); // preparing sends nothing
        Assert.Null(Mapper().Declines(Request(port: 80)));
    }

    [Fact]
    public async Task Presence_is_the_router_still_listing_the_mapping_for_this_pc()
    {
        MappingRecord record = (await Mapper().MapAsync(Request(), Ct)).Record!;
        var budget = TimeSpan.FromSeconds(2);

        Assert.Equal(MappingPresence.Held, (await Mapper().CheckPresenceAsync(record, budget, Ct)).Presence);
        _igd.Table["TCP/8080"] = new PortMappingEntry("", 8080, "TCP", 8080, "192.168.1.77", true, "other", 0);
        Assert.Equal(MappingPresence.Lost, (await Mapper().CheckPresenceAsync(record, budget, Ct)).Presence);
        _igd.Table.Clear();
        Assert.Equal(MappingPresence.Lost, (await Mapper().CheckPresenceAsync(record, budget, Ct)).Presence);
        _igd.ScriptFault(UpnpActions.GetSpecificPortMappingEntry, 501);
        PresenceCheck faulted = await Mapper().CheckPresenceAsync(record, budget, Ct);
        Assert.Equal(MappingPresence.NoAnswer, faulted.Presence);
        Assert.Equal(new UpnpFaultFailure(MappingOperation.Lookup, 501, UpnpErrorCode.ActionFailed), faulted.Why);
    }
}
