using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Diagnosis.Checks;
using PortDoctor.Core.Tests.Fakes;

namespace PortDoctor.Core.Tests.Diagnosis;

public sealed class HopsCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string?, string?, string?, int> Targets => new()
    {
        // name, STUN server, checker URL, expected target, DNS lookups
        { "the first STUN server", "11.0.0.9:3478", "http://11.0.0.1:8088/", "11.0.0.9", 0 },
        { "the checker's address literal", null, "http://11.0.0.1:8088/", "11.0.0.1", 0 },
        { "the checker's IPv6 literal", null, "http://[2001:db8::1]:8088/", "2001:db8::1", 0 },
        { "the checker's name, resolved for IPv4", null, "https://checker.example.net/", "11.0.0.3", 1 },
        { "a checker name that does not resolve", null, "https://nowhere.example.net/", null, 1 },
        { "nothing to trace toward", null, null, null, 0 },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Traces_toward_the_stun_server_else_the_checker(string name, string? stun, string? checker, string? expected, int lookups)
    {
        using var seams = new DiagnoseSeams
        {
            Checker = checker is null ? null : new CheckerFake(url: checker),
            Resolver = new FakeHostResolver().Answer("checker.example.net", "2001:db8::3", "11.0.0.3"),
        };
        var options = new DiagnoseOptions { StunServers = stun is null ? [] : [IPEndPoint.Parse(stun)] };

        var target = await HopsCheck.TargetAsync(seams.Context(), options, Ct);

        Assert.True(expected == target?.ToString(), $"{name}: {target}");
        Assert.Equal(lookups, seams.Resolver.Lookups.Count);
        Assert.All(seams.Resolver.Lookups, l => Assert.Equal((AddressFamily.InterNetwork, HostNames.ResolveTimeout), (l.Family, l.Timeout)));
    }

    public static TheoryData<string, string, string?, string> Paths => new()
    {
        // name, hops answering TTL 1.. ("*" none), target, expected hops evidence (or "-": no finding)
        { "stops at the target", "192.168.77.1 100.64.0.1 11.0.0.1 11.0.0.1", "11.0.0.1", "192.168.77.1,100.64.0.1,11.0.0.1" },
        { "silent hops shown as *", "192.168.77.1 * 11.0.0.1 11.0.0.1", "11.0.0.1", "192.168.77.1,*,11.0.0.1" },
        { "target never answered", "192.168.77.1 * * *", "11.0.0.1", "192.168.77.1,*,*,*" },
        { "nothing traced", "", null, "-" },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Lists_the_hops_up_to_the_target(string name, string hops, string? target, string expected)
    {
        var list = hops.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => h == "*" ? null : IPAddress.Parse(h)).ToList();
        var f = new FindingList();

        HopsCheck.Report(f, target is null ? null : IPAddress.Parse(target), list);

        Assert.True(expected == (f.Items.Count == 0 ? "-" : f.Items[0].Evidence["hops"]), name);
    }

    [Fact]
    public async Task Traces_four_hops_through_the_hop_seam_only_with_a_target()
    {
        var hops = new HopsFake("192.168.77.1", "11.0.0.1", "11.0.0.1", "11.0.0.1", "11.0.0.1");
        var traced = await HopsCheck.TraceAsync(hops, IPAddress.Parse("11.0.0.1"), Ct);
        Assert.Equal(HopsCheck.HopsToTrace, traced.Count);
        Assert.Empty(await HopsCheck.TraceAsync(hops, null, Ct));
        Assert.Empty(await HopsCheck.TraceAsync(null, IPAddress.Parse("11.0.0.1"), Ct));
        Assert.Single(hops.Targets);
    }
}
