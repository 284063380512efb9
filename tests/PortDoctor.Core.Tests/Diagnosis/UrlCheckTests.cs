using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Diagnosis.Checks;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Tests.Fakes;

namespace PortDoctor.Core.Tests.Diagnosis;

public sealed class UrlCheckTests
{
    public static TheoryData<string, string, int?, string?, string, string> Cases => new()
    {
        // name, --url, port, public address, expected, problems (message keys joined)
        { "literal address and port match", "http://11.0.0.2:8080/live", 8080, "11.0.0.2", "url:Info", "" },
        { "another port", "http://11.0.0.2:9090/live", 8080, "11.0.0.2", "url-mismatch:Fault", "Diag.Url.PortDiffers" },
        { "default port 80 is not 8080", "http://11.0.0.2/live", 8080, "11.0.0.2", "url-mismatch:Fault", "Diag.Url.PortDiffers" },
        { "another address", "http://11.0.0.77:8080/", 8080, "11.0.0.2", "url-mismatch:Fault", "Diag.Url.HostDiffers" },
        { "both differ", "http://11.0.0.77:9090/", 8080, "11.0.0.2", "url-mismatch:Fault", "Diag.Url.PortDiffers Diag.Url.HostDiffers" },
        { "name resolves to the public address among others", "https://live.example.net:8080/", 8080, "11.0.0.2", "url:Info", "" },
        { "name resolves elsewhere", "https://old.example.net:8080/", 8080, "11.0.0.2", "url-mismatch:Fault", "Diag.Url.HostDiffers" },
        { "name does not resolve", "https://gone.example.net:8080/", 8080, "11.0.0.2", "url-mismatch:Fault", "Diag.Url.HostUnknown" },
        { "public address unknown: only the port counts", "http://11.0.0.77:8080/", 8080, null, "url:Info", "" },
        { "no port named: only the host counts", "http://11.0.0.2:9090/", null, "11.0.0.2", "url:Info", "" },
        { "IPv6 literal", "http://[2001:db8::2]:8080/", 8080, "2001:db8::2", "url:Info", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Compares_the_published_url_with_the_public_address_and_the_port(string name, string url, int? port, string? publicAddress, string expected, string problems)
    {
        var resolver = new FakeHostResolver()
            .Answer("live.example.net", "2001:db8::2", "11.0.0.2")
            .Answer("old.example.net", "11.0.0.66");
        var f = new FindingList();

        await UrlCheck.RunAsync(f, resolver, new DiagnoseOptions { Port = port, Url = new Uri(url) },
            publicAddress is null ? null : IPAddress.Parse(publicAddress), TestContext.Current.CancellationToken);

        Assert.True(expected == FindingAssert.Ids(f), $"{name}: {FindingAssert.Ids(f)}");
        Assert.Equal(problems, string.Join(" ", Problems(f.Items[0])));
        bool literal = new Uri(url).HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6;
        Assert.Equal(literal ? [] : [(new Uri(url).Host, AddressFamily.Unspecified, HostNames.ResolveTimeout)], resolver.Lookups);
    }

    [Fact]
    public async Task The_evidence_lists_the_urls_addresses()
    {
        var resolver = new FakeHostResolver().Answer("old.example.net", "11.0.0.66", "11.0.0.67");
        var f = new FindingList();
        await UrlCheck.RunAsync(f, resolver, new DiagnoseOptions { Port = 8080, Url = new Uri("https://old.example.net:8443/") },
            IPAddress.Parse("11.0.0.2"), TestContext.Current.CancellationToken);
        Assert.Equal(("8443", "11.0.0.66,11.0.0.67", "11.0.0.2"),
            (f.Items[0].Evidence["urlPort"], f.Items[0].Evidence["urlAddresses"], f.Items[0].Evidence["publicAddress"]));
    }

    [Fact]
    public async Task Without_a_url_nothing_is_resolved_or_reported()
    {
        var resolver = new FakeHostResolver();
        var f = new FindingList();
        await UrlCheck.RunAsync(f, resolver, new DiagnoseOptions { Port = 8080 }, IPAddress.Parse("11.0.0.2"), TestContext.Current.CancellationToken);
        Assert.Empty(f.Items);
        Assert.Empty(resolver.Lookups);
    }

    /// <summary>The problem keys inside Diag.Url.Mismatch's second argument (nested Common.Join texts), in order.</summary>
    private static List<string> Problems(Finding finding)
    {
        if (finding.Id != FindingIds.UrlMismatch)
        {
            return [];
        }

        var list = new List<string>();
        void Walk(Text t)
        {
            if (t.Key == "Common.Join")
            {
                Walk((Text)t.Args[0]);
                Walk((Text)t.Args[1]);
            }
            else
            {
                list.Add(t.Key);
            }
        }

        Walk((Text)finding.Message.Args[1]);
        return list;
    }
}
