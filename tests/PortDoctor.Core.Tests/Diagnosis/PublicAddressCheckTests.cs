using System.Net;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Diagnosis.Checks;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Reachability;
using PortDoctor.Core.Stun;

namespace PortDoctor.Core.Tests.Diagnosis;

public sealed class PublicAddressCheckTests
{
    private static readonly IPEndPoint StunA = IPEndPoint.Parse("11.0.0.1:3478");
    private static readonly IPEndPoint StunB = IPEndPoint.Parse("11.0.0.5:3478");

    private static readonly CheckerError Down = new(CheckerErrorKind.Unreachable, "http://11.0.0.1:8088/",
        Text.Of("Checker.Err.Unreachable", "Connection refused"), Text.Of("Checker.Fix.Unreachable"));

    public static TheoryData<string, string?, string, string?, string, string> Cases => new()
    {
        // name, checker saw (null: not asked, "error"), STUN answers ("a=ip", "b=-" no answer), expected address, findings, source
        { "checker only", "11.0.0.2", "", "11.0.0.2", "public-address:Info", "checker" },
        { "checker wins over STUN", "11.0.0.2", "a=11.0.0.9", "11.0.0.2", "public-address:Info", "checker" },
        { "checker failed: STUN", "error", "a=11.0.0.9", "11.0.0.9", "public-address:Info", "stun 11.0.0.1:3478" },
        { "no checker: first STUN that answered", null, "a=- b=11.0.0.7", "11.0.0.7", "public-address:Info", "stun 11.0.0.5:3478" },
        { "nobody answered", null, "a=- b=-", null, "public-address:Warning", "<none>" },
        { "nothing asked", null, "", null, "", "" },
        { "checker failed, no STUN", "error", "", null, "", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Takes_the_checkers_address_else_the_first_stun_answer(string name, string? checker, string stun, string? expected, string findings, string source)
    {
        var fromChecker = checker switch
        {
            null => null,
            "error" => new CheckerAddressResult(null, 0, Down),
            _ => new CheckerAddressResult(IPAddress.Parse(checker), 40000, null),
        };
        var stunResults = stun.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s =>
        {
            var server = s[0] == 'a' ? StunA : StunB;
            string ip = s[2..];
            return ip == "-"
                ? new StunResult(server, null, null, 3, "no answer within 3 s")
                : new StunResult(server, new IPEndPoint(IPAddress.Parse(ip), 40001), 12.5, 1, null);
        }).ToList();
        var f = new FindingList();

        var address = PublicAddressCheck.Report(f, fromChecker, stunResults);

        Assert.Equal(expected, address?.ToString());
        Assert.True(findings == FindingAssert.Ids(f), $"{name}: {FindingAssert.Ids(f)}");
        if (findings.Length > 0)
        {
            Assert.Equal(source, FindingAssert.Evidence(f.Items[0], "source"));
        }
    }

    [Fact]
    public void The_stun_evidence_lists_every_servers_answer()
    {
        var f = new FindingList();
        PublicAddressCheck.Report(f, null, [new StunResult(StunA, null, null, 3, "timeout"), new StunResult(StunB, IPEndPoint.Parse("11.0.0.7:40001"), 3, 1, null)]);
        Assert.Equal("11.0.0.1:3478=timeout 11.0.0.5:3478=11.0.0.7:40001", f.Items[0].Evidence["stun"]);
    }

    [Theory]
    [InlineData(CheckerKind.PortDoctor, true)]
    [InlineData(CheckerKind.Transmission, false)]
    public async Task Only_a_checker_that_can_tell_the_address_is_asked(CheckerKind kind, bool asked)
    {
        var result = await PublicAddressCheck.AskCheckerAsync(new CheckerFake(kind), TestContext.Current.CancellationToken);
        Assert.Equal(asked, result is not null);
        Assert.Null(await PublicAddressCheck.AskCheckerAsync(null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Stun_servers_are_asked_through_the_udp_seam()
    {
        var stun = new StunClient(_ => new StunTransportFake(IPEndPoint.Parse("11.0.0.2:40002")));
        var results = await PublicAddressCheck.QueryStunAsync(stun, [StunA, StunB], TestContext.Current.CancellationToken);
        Assert.Equal(["11.0.0.2:40002", "11.0.0.2:40002"], results.Select(r => r.MappedEndPoint?.ToString()));
        Assert.Empty(await PublicAddressCheck.QueryStunAsync(stun, [], TestContext.Current.CancellationToken));
        Assert.Empty(await PublicAddressCheck.QueryStunAsync(null, [StunA], TestContext.Current.CancellationToken));
    }
}
