using System.Net;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Ports;
using PortDoctor.Core.Reports;
using PortDoctor.Core.Workflows;

namespace PortDoctor.Core.Tests.Workflows;

public class ListenerStepsTests
{
    private sealed class TableLookup(Dictionary<(TransportProtocol, int), PortOwner> owners) : IPortOwnerLookup
    {
        public IReadOnlyList<PortOwner> FindOwners(TransportProtocol protocol, int port) =>
            owners.TryGetValue((protocol, port), out var o) ? [o] : [];
    }

    private static PortOwner Owner(int port, string name, string exe, TransportProtocol protocol = TransportProtocol.Tcp) =>
        new(protocol, IPAddress.Any, port, 4242, name, exe);

    [Fact]
    public void The_wanted_program_listening_is_fine()
    {
        var lookup = new TableLookup(new() { [(TransportProtocol.Tcp, 8080)] = Owner(8080, "encoder", "/opt/enc/encoder") });
        var step = ListenerSteps.Describe(lookup, TransportProtocol.Tcp, 8080, "/opt/enc/encoder", out bool listens);
        Assert.True(listens);
        Assert.Equal(StepStatus.AlreadyFine, step.Status);
    }

    [Fact]
    public void Another_program_on_the_port_is_a_failure_naming_it_with_free_ports()
    {
        var lookup = new TableLookup(new()
        {
            [(TransportProtocol.Tcp, 8080)] = Owner(8080, "skype", "/usr/bin/skype"),
            [(TransportProtocol.Tcp, 8081)] = Owner(8081, "other", "/usr/bin/other"),
        });
        var step = ListenerSteps.Describe(lookup, TransportProtocol.Tcp, 8080, "/opt/enc/encoder", out _);
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Equal("8082,8083,8084", step.Evidence!["freePorts"]);
        string text = step.Message.ToString();
        Assert.Contains("skype (pid 4242, /usr/bin/skype)", text, StringComparison.Ordinal);
        Assert.Contains("/opt/enc/encoder", text, StringComparison.Ordinal);
        Assert.Contains("8082", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Free_ports_wrap_around_below_the_top_and_skip_taken_ones_for_every_protocol()
    {
        var lookup = new TableLookup(new()
        {
            [(TransportProtocol.Udp, 65535)] = Owner(65535, "x", "/x", TransportProtocol.Udp),
            [(TransportProtocol.Tcp, 1024)] = Owner(1024, "y", "/y"),
        });
        var free = ListenerSteps.FreePorts(lookup, [TransportProtocol.Tcp, TransportProtocol.Udp], 65534, 2);
        Assert.Equal([1025, 1026], free);
        Assert.All(ListenerSteps.FreePorts(lookup, [TransportProtocol.Tcp], 80, 3), p => Assert.InRange(p, 1024, 65535));
    }
}
