using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Tests.Diagnosis;

public sealed class RootCauseTests
{
    public static TheoryData<string, string?> Combinations => new()
    {
        // findings ("id" = Fault, "id:Warning", "id:Info"), expected root cause
        { "no-network", "no-network" },
        { "not-reachable cgnat double-nat", "cgnat" },
        { "host-firewall-blocks double-nat not-reachable", "double-nat" },
        { "nothing-listening host-firewall-blocks url-mismatch", "url-mismatch" },
        { "no-gateway third-party-firewall host-firewall-blocks", "host-firewall-blocks" },
        { "no-gateway third-party-firewall", "third-party-firewall" },
        { "not-reachable stale-mapping no-gateway", "no-gateway" },
        { "no-mapping mapping-conflict stale-mapping", "stale-mapping" },
        { "no-mapping mapping-conflict", "mapping-conflict" },
        { "nothing-listening no-mapping", "no-mapping" },
        { "not-reachable nothing-listening", "nothing-listening" },
        { "not-reachable", "not-reachable" },
        { "cgnat:Warning double-nat:Warning not-reachable", "not-reachable" },
        { "third-party-firewall:Warning reachable:Info", null },
        { "budget:Warning network:Info", null },
        { "", null },
        { "unranked not-reachable", "not-reachable" },
        { "unranked", "unranked" },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void The_most_fundamental_fault_is_the_root_cause_whatever_the_order(string findings, string? expected)
    {
        var list = findings.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Make).ToList();

        Assert.Equal(expected, RootCause.Choose(list)?.Id);
        list.Reverse();
        Assert.Equal(expected, RootCause.Choose(list)?.Id);
    }

    [Fact]
    public void Of_two_faults_with_the_same_id_the_first_is_chosen()
    {
        var first = Make("host-firewall-blocks");
        var second = Make("host-firewall-blocks");
        Assert.Same(first, RootCause.Choose([Make("not-reachable"), first, second]));
    }

    private static Finding Make(string spec)
    {
        var parts = spec.Split(':');
        var severity = parts.Length > 1 ? Enum.Parse<Severity>(parts[1]) : Severity.Fault;
        return new Finding(parts[0], severity, Text.Of("Common.Verbatim", parts[0]), null, new Dictionary<string, string>());
    }
}
