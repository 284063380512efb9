using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Ports;

namespace PortDoctor.Core.Tests.Ports;

public class ProcNetParserTests
{
    // Recorded from a Linux 6.1 x86_64 host: header line, a LISTEN on 127.0.0.1:8080 (0x1F90), an
    // ESTABLISHED connection and a malformed row that must be skipped.
    private const string Tcp4 =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 123456 1 0000000000000000 100 0 0 10 0\n" +
        "   1: 0A4DA8C0:A2C4 0100000B:1F90 01 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 20 4 30 10 -1\n" +
        "   2: garbage\n";

    // "::" wildcard listener on port 8080 and "::1" on 53 (UDP state 07).
    private const string Tcp6 =
        "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
        "   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 999 1 0000000000000000 100 0 0 10 0\n" +
        "   1: 00000000000000000000000001000000:0035 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 555 1 0000000000000000 100 0 0 10 0\n";

    [Fact]
    public void Parses_ipv4_rows_and_skips_malformed_ones()
    {
        var rows = ProcNetParser.Parse(Tcp4);
        Assert.Equal(2, rows.Count);
        Assert.Equal(IPAddress.Loopback, rows[0].LocalAddress);
        Assert.Equal(8080, rows[0].LocalPort);
        Assert.Equal(ProcNetParser.TcpListen, rows[0].State);
        Assert.Equal(123456, rows[0].Inode);
        Assert.Equal(IPAddress.Parse("192.168.77.10"), rows[1].LocalAddress);
    }

    [Fact]
    public void Parses_ipv6_rows()
    {
        var rows = ProcNetParser.Parse(Tcp6);
        Assert.Equal(2, rows.Count);
        Assert.Equal(IPAddress.IPv6Any, rows[0].LocalAddress);
        Assert.Equal(IPAddress.IPv6Loopback, rows[1].LocalAddress);
        Assert.Equal(53, rows[1].LocalPort);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0100007F")]
    [InlineData("0100007F:")]
    [InlineData("0100007F:XYZ")]
    [InlineData("01007F:1F90")]
    [InlineData("0100007F:1FFFFF")]
    public void Malformed_endpoints_fail_without_throwing(string field) =>
        Assert.False(ProcNetParser.TryParseEndpoint(field, out _, out _));

    [FsCheck.Xunit.Property]
    public bool Parser_never_throws(string text)
    {
        _ = ProcNetParser.Parse(text ?? "");
        return true;
    }
}

public class LinuxPortOwnerLookupTests
{
    [Fact]
    public void Finds_this_process_listening_on_tcp_ipv4_and_ipv6()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("reads /proc: Linux only");
        }

        using var v4 = new TcpListener(IPAddress.Loopback, 0);
        v4.Start();
        int port = ((IPEndPoint)v4.LocalEndpoint).Port;
        using var v6 = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        v6.DualMode = false;
        v6.Bind(new IPEndPoint(IPAddress.IPv6Loopback, port));
        v6.Listen();

        var owners = new LinuxPortOwnerLookup().FindOwners(TransportProtocol.Tcp, port);
        Assert.Contains(owners, o => o.LocalAddress.Equals(IPAddress.Loopback));
        Assert.Contains(owners, o => o.LocalAddress.Equals(IPAddress.IPv6Loopback));
        Assert.All(owners, o => Assert.Equal(Environment.ProcessId, o.ProcessId));
        Assert.All(owners, o => Assert.False(string.IsNullOrEmpty(o.ProcessName)));
    }

    [Fact]
    public void Finds_a_bound_udp_socket_and_not_a_tcp_one_on_the_same_port()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("reads /proc: Linux only");
        }

        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        var lookup = new LinuxPortOwnerLookup();
        var owners = lookup.FindOwners(TransportProtocol.Udp, port);
        Assert.Single(owners);
        Assert.Equal(Environment.ProcessId, owners[0].ProcessId);
        Assert.DoesNotContain(lookup.FindOwners(TransportProtocol.Tcp, port), o => o.ProcessId == Environment.ProcessId);
    }

    [Fact]
    public void A_closed_port_has_no_owner()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("reads /proc: Linux only");
        }

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Assert.Empty(new LinuxPortOwnerLookup().FindOwners(TransportProtocol.Tcp, port));
    }

    [Fact]
    public void A_missing_proc_tree_yields_nothing_rather_than_throwing()
    {
        var lookup = new LinuxPortOwnerLookup(Path.Combine(Path.GetTempPath(), "no-such-proc-" + Guid.NewGuid().ToString("N")));
        Assert.Empty(lookup.FindOwners(TransportProtocol.Tcp, 8080));
    }
}
