using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Diagnosis.Checks;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Tests.Diagnosis;

public sealed class MappingCheckTests
{
    public static TheoryData<string, string?, int, bool, string, string> Entries => new()
    {
        // name, entry's internal client (null: no entry), its internal port, reachable, expected, message key
        { "forwarded to this PC", "192.168.77.10", 8080, false, "mapping:Info", "Diag.MappingFine" },
        { "no entry, not reachable", null, 0, false, "no-mapping:Fault", "Diag.NoMapping" },
        { "no entry, reachable anyway", null, 0, true, "mapping:Info", "Diag.NoMappingButReachable" },
        { "another LAN address: this PC's old one", "192.168.77.23", 8080, false, "stale-mapping:Fault", "Diag.StaleMapping" },
        { "stale even when reachable", "192.168.77.23", 8080, true, "stale-mapping:Fault", "Diag.StaleMapping" },
        { "a host outside the LAN", "10.9.9.9", 8080, false, "mapping-conflict:Fault", "Diag.StaleMapping" },
        { "this PC, another internal port", "192.168.77.10", 9090, false, "mapping-conflict:Fault", "Diag.MappingOtherPort" },
    };

    [Theory]
    [MemberData(nameof(Entries))]
    public void Judges_the_routers_entry_for_the_port(string name, string? client, int internalPort, bool reachable, string expected, string key)
    {
        var entry = client is null ? null : Home.Mapping(client, internalPort, leaseSeconds: 7200);
        var f = new FindingList();

        MappingCheck.Report(f, Home.Gateway, new DiagnoseOptions { Port = 8080 }, Known(entry), reachable);

        Assert.True(expected == FindingAssert.Ids(f), $"{name}: {FindingAssert.Ids(f)}");
        Assert.Equal(key, f.Items[0].Message.Key);
        if (client is not null)
        {
            Assert.Equal((client, internalPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "192.168.77.10", "7200"),
                (f.Items[0].Evidence["internalClient"], f.Items[0].Evidence["internalPort"], f.Items[0].Evidence["thisPc"], f.Items[0].Evidence["leaseSeconds"]));
        }
    }

    [Fact]
    public void A_stale_mapping_names_the_old_and_the_new_address_in_its_fix()
    {
        var f = new FindingList();
        MappingCheck.Report(f, Home.Gateway, new DiagnoseOptions { Port = 8080 }, Known(Home.Mapping("192.168.77.23", 8080)), reachable: false);
        Assert.Equal(["8080", "tcp", "192.168.77.23", "192.168.77.10", "192.168.77.1"], f.Items[0].Fix!.Args);
    }

    [Theory]
    [InlineData(false, 8080)]
    [InlineData(true, null)]
    public void Nothing_is_judged_without_a_read_table_or_a_port(bool known, int? port)
    {
        var facts = new RouterCheck.Facts(new RouterFake("upnp"), null, null, known, known ? null : "timed out");
        var f = new FindingList();
        MappingCheck.Report(f, Home.Gateway, new DiagnoseOptions { Port = port }, facts, reachable: false);
        Assert.Empty(f.Items);
    }

    private static RouterCheck.Facts Known(MappingRecord? entry) => new(new RouterFake("upnp"), null, entry, true, null);
}
