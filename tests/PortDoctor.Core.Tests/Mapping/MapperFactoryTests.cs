using System.Net;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.NatPmp;
using PortDoctor.Core.Net;
using PortDoctor.Core.Pcp;
using PortDoctor.Core.Upnp;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Tests.Mapping;

/// <summary>Rebuilding mappers from journal records in Core, as close/undo/--keep do after a restart.</summary>
public sealed class MapperFactoryTests : IDisposable
{
    private readonly HttpClient _http = new();
    private readonly MapperFactory _factory;

    public MapperFactoryTests() => _factory = new MapperFactory(_http, UdpTransport.Create);

    public void Dispose() => _http.Dispose();

    private static MappingRecord Record(MappingMethod method, string? serviceType = null, Uri? controlUrl = null, string client = "192.168.77.10") => new()
    {
        Method = method,
        Gateway = IPAddress.Parse("192.168.77.1"),
        Protocol = TransportProtocol.Tcp,
        ExternalPort = 8080,
        InternalClient = IPAddress.Parse(client),
        InternalPort = 8080,
        Lease = TimeSpan.FromHours(1),
        ControlUrl = controlUrl,
        ServiceType = serviceType,
        PcpNonce = method == MappingMethod.Pcp ? "00112233445566778899aabb" : null,
    };

    [Theory]
    [InlineData("urn:schemas-upnp-org:service:WANIPConnection:1", false)]
    [InlineData("urn:schemas-upnp-org:service:WANPPPConnection:1", false)]
    [InlineData("urn:schemas-upnp-org:service:WANIPConnection:2", true)]
    public void Upnp_records_get_the_igd_version_of_their_journaled_service(string serviceType, bool igd2)
    {
        var control = new Uri("http://192.168.77.1:5000/ctl/IPConn");
        var mapper = Assert.IsType<UpnpPortMapper>(_factory.ForRecord(Record(MappingMethod.Upnp, serviceType, control)));

        Assert.Equal(igd2, mapper.IsIgd2);
        Assert.Equal(control, mapper.ControlUrl);
        Assert.Equal(serviceType, mapper.ServiceType);
        Assert.Equal(MappingMethod.Upnp, mapper.Method);
    }

    [Fact]
    public void Natpmp_and_pcp_records_get_their_protocols_mapper()
    {
        Assert.IsType<NatPmpPortMapper>(_factory.ForRecord(Record(MappingMethod.NatPmp)));
        Assert.IsType<PcpPortMapper>(_factory.ForRecord(Record(MappingMethod.Pcp)));
    }

    [Fact]
    public void Records_that_cannot_be_acted_on_give_null()
    {
        Assert.Null(_factory.ForRecord(Record(MappingMethod.Upnp))); // no control URL or service type journaled
        Assert.Null(_factory.ForRecord(Record(MappingMethod.NatPmp, client: "fd00::10")));
        Assert.Null(_factory.ForRecord(Record((MappingMethod)42)));
    }

    [Fact]
    public void An_unknown_journaled_method_is_not_rebuilt()
    {
        var change = JournalMapping.FromRecord(Record(MappingMethod.NatPmp)) with { Method = "upnp2" };

        Assert.False(MappingMethods.TryParse(change.Method, out _));
        Assert.False(JournalMapping.TryToRecord(change, out var record, out var why));
        Assert.Null(record);
        Assert.Equal("記録の項目にある方式「upnp2」は不明です", PortDoctor.Core.Localization.Localizer.Format(why!, PortDoctor.Core.Localization.UiLanguage.Japanese));
    }

    [Fact]
    public void An_incomplete_journal_record_says_why_in_the_users_language()
    {
        var change = JournalMapping.FromRecord(Record(MappingMethod.NatPmp)) with { Gateway = null };

        Assert.False(JournalMapping.TryToRecord(change, out _, out var why));
        Assert.Equal("the journal entry for port 8080 lacks its protocol, gateway or internal client", PortDoctor.Core.Localization.Localizer.Format(why!, PortDoctor.Core.Localization.UiLanguage.English));
        Assert.Equal("ポート 8080 の記録の項目に、プロトコル、ルーター、転送先アドレスのいずれかがありません", PortDoctor.Core.Localization.Localizer.Format(why!, PortDoctor.Core.Localization.UiLanguage.Japanese));
    }

    [Theory]
    [InlineData(MappingMethod.Upnp, "upnp")]
    [InlineData(MappingMethod.NatPmp, "natpmp")]
    [InlineData(MappingMethod.Pcp, "pcp")]
    public void Journaled_method_names_are_the_fixed_wire_names_both_ways(MappingMethod method, string wire)
    {
        JournalChange change = JournalMapping.FromRecord(Record(method, "urn:schemas-upnp-org:service:WANIPConnection:1", new Uri("http://192.168.77.1:5000/ctl")));
        Assert.Equal(wire, change.Method);
        Assert.True(JournalMapping.TryToRecord(change, out var back, out _));
        Assert.Equal(method, back!.Method);
    }
}
