using PortDoctor.Core.Localization;
using System.Net;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Diagnosis.Checks;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Tests.Diagnosis;

public sealed class RouterCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string?, string, string> Answers => new()
    {
        // name, protocols that answered (best first), external address, table (entry|none|timeout|http|-), expected findings
        { "UPnP alone, entry listed", "upnp", "11.0.0.2", "entry", "gateway:Info" },
        { "PCP first, UPnP lists the table", "pcp upnp", "11.0.0.2", "none", "gateway:Info" },
        { "PCP only: no table", "pcp", "11.0.0.2", "-", "gateway:Info" },
        { "table read times out", "upnp", "11.0.0.2", "timeout", "gateway:Info mapping:Info" },
        { "table read fails over HTTP", "natpmp upnp", null, "http", "gateway:Info mapping:Info" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Describes_the_router_and_reads_its_table_only_over_upnp(string name, string methods, string? external, string table, string expected)
    {
        var mappers = methods.Split(' ').Select(m => new RouterFake(m)
        {
            External = external is null ? null : IPAddress.Parse(external),
            Entry = table == "entry" ? Home.Mapping("192.168.77.10", 8080) : null,
            TableError = table switch
            {
                "timeout" => new TimeoutException("no answer in 3 s"),
                "http" => new HttpRequestException("connection refused"),
                _ => null,
            },
        }).ToArray();
        var probe = new GatewayProbeResult(mappers, [], TimeSpan.FromMilliseconds(40)) { RouterName = "ExampleNet XR-120N" };
        var options = new DiagnoseOptions { Port = 8080 };

        var facts = await RouterCheck.AskAsync(probe, options, Ct);
        var f = new FindingList();
        RouterCheck.Report(f, Home.Gateway, options, probe, facts, reachable: false);

        Assert.True(expected == FindingAssert.Ids(f), $"{name}: {FindingAssert.Ids(f)}");
        Assert.Same(mappers[0], facts.Mapper);
        Assert.Equal(table is "entry" or "none", facts.MappingKnown);
        Assert.Equal(methods.Contains("upnp", StringComparison.Ordinal) ? 1 : 0, mappers.Sum(m => m.TableReads));
        var gateway = FindingAssert.Single(f, FindingIds.Gateway);
        Assert.Equal(("ExampleNet XR-120N", methods.Replace(' ', ','), external ?? ""),
            (gateway.Evidence["router"], gateway.Evidence["methods"], gateway.Evidence["externalAddress"]));
    }

    [Theory]
    [InlineData("0.0.0.0", "")]
    [InlineData("127.0.0.1", "")]
    [InlineData("100.64.3.4", "100.64.3.4")]
    [InlineData("192.168.1.2", "192.168.1.2")]
    public async Task An_unusable_external_address_counts_as_unknown(string reported, string kept)
    {
        var probe = new GatewayProbeResult([new RouterFake("natpmp") { External = IPAddress.Parse(reported) }], [], TimeSpan.Zero);
        var facts = await RouterCheck.AskAsync(probe, new DiagnoseOptions { Port = 8080 }, Ct);
        Assert.Equal(kept, facts.External?.ToString() ?? "");
    }

    [Fact]
    public async Task Without_a_port_the_table_is_not_read()
    {
        var upnp = new RouterFake("upnp");
        var facts = await RouterCheck.AskAsync(new GatewayProbeResult([upnp], [], TimeSpan.Zero), new DiagnoseOptions(), Ct);
        Assert.Equal((0, false), (upnp.TableReads, facts.MappingKnown));
    }

    [Fact]
    public async Task Without_the_routers_name_its_description_is_shown()
    {
        var probe = new GatewayProbeResult([new RouterFake("pcp") { GatewayDescription = Text.Of("Gateway.Pcp", "192.168.77.1") }], [], TimeSpan.Zero);
        var facts = await RouterCheck.AskAsync(probe, new DiagnoseOptions(), Ct);
        var f = new FindingList();
        RouterCheck.Report(f, Home.Gateway, new DiagnoseOptions(), probe, facts, reachable: false);
        Assert.Equal("PCP server 192.168.77.1", FindingAssert.Single(f, FindingIds.Gateway).Evidence["router"]);
    }

    public static TheoryData<string, bool, bool, int?, string, string?> Silent => new()
    {
        // name, public host, reachable, port, expected, fix key
        { "not reachable: forward by hand", false, false, 8080, "no-gateway:Fault", "Gateway.ForwardManually" },
        { "no port: enable UPnP", false, false, null, "no-gateway:Fault", "Diag.Fix.EnableUpnp" },
        { "reachable anyway", false, true, 8080, "no-gateway:Info", null },
        { "public host needs no router", true, false, 8080, "", null },
    };

    [Theory]
    [MemberData(nameof(Silent))]
    public async Task A_silent_router_is_a_fault_only_when_the_port_is_not_reachable(string name, bool publicHost, bool reachable, int? port, string expected, string? fixKey)
    {
        var probe = new GatewayProbeResult([], ["SSDP: no reply"], TimeSpan.FromMilliseconds(3000));
        var options = new DiagnoseOptions { Port = port };
        var gw = publicHost ? Home.PublicHostGateway : Home.Gateway;
        var f = new FindingList();

        RouterCheck.Report(f, gw, options, probe, await RouterCheck.AskAsync(probe, options, Ct), reachable);

        Assert.True(expected == FindingAssert.Ids(f), $"{name}: {FindingAssert.Ids(f)}");
        Assert.Equal(fixKey, f.Items.SingleOrDefault()?.Fix?.Key);
        if (fixKey == "Gateway.ForwardManually")
        {
            Assert.Equal(["192.168.77.1", "8080", "TCP", "192.168.77.10"], f.Items[0].Fix!.Args);
            Assert.Equal("3000", f.Items[0].Evidence["probeMs"]);
        }
    }
}
