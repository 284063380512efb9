using System.Buffers.Binary;
using System.Net;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Ports;

namespace PortDoctor.Core.Tests.Firewall;

public class WindowsOwnerTableParserTests
{
    // Recorded layout of GetExtendedTcpTable(AF_INET, TCP_TABLE_OWNER_PID_LISTENER) with two listeners:
    // 0.0.0.0:135 (svchost, pid 1044) and 127.0.0.1:8080 (pid 5120). Ports are network order in the low word.
    private static readonly byte[] Tcp4 =
    [
        0x02, 0x00, 0x00, 0x00,
        0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x87, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x04, 0x00, 0x00,
        0x02, 0x00, 0x00, 0x00, 0x7F, 0x00, 0x00, 0x01, 0x1F, 0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00,
    ];

    [Fact]
    public void Parses_ipv4_tcp_listeners()
    {
        Assert.True(WindowsOwnerTableParser.TryParse(Tcp4, TransportProtocol.Tcp, ipv6: false, out var rows, out _));
        Assert.Equal(2, rows.Count);
        Assert.Equal(new OwnerTableRow(IPAddress.Any, 135, 1044, WindowsOwnerTableParser.TcpListen), rows[0]);
        Assert.Equal(new OwnerTableRow(IPAddress.Loopback, 8080, 5120, WindowsOwnerTableParser.TcpListen), rows[1]);
    }

    [Fact]
    public void Parses_ipv6_tcp_listeners_with_scope()
    {
        var table = new byte[4 + 56];
        BinaryPrimitives.WriteUInt32LittleEndian(table, 1);
        var row = table.AsSpan(4);
        IPAddress.Parse("fe80::1").GetAddressBytes().CopyTo(row);
        BinaryPrimitives.WriteUInt32LittleEndian(row[16..], 12); // scope id
        row[20] = 0x1F; row[21] = 0x90;                          // port 8080
        BinaryPrimitives.WriteUInt32LittleEndian(row[48..], 2);  // LISTEN
        BinaryPrimitives.WriteUInt32LittleEndian(row[52..], 777);
        Assert.True(WindowsOwnerTableParser.TryParse(table, TransportProtocol.Tcp, ipv6: true, out var rows, out _));
        var only = Assert.Single(rows);
        Assert.Equal(IPAddress.Parse("fe80::1%12"), only.LocalAddress);
        Assert.Equal(8080, only.LocalPort);
        Assert.Equal(777, only.ProcessId);
        Assert.Equal(2, only.State);
    }

    [Fact]
    public void Parses_udp_tables()
    {
        byte[] udp4 = [0x01, 0, 0, 0, 0xC0, 0xA8, 0x01, 0x0A, 0x69, 0x87, 0, 0, 0xE8, 0x03, 0, 0];
        Assert.True(WindowsOwnerTableParser.TryParse(udp4, TransportProtocol.Udp, ipv6: false, out var rows4, out _));
        Assert.Equal(new OwnerTableRow(IPAddress.Parse("192.168.1.10"), 27015, 1000, 0), Assert.Single(rows4));

        var udp6 = new byte[4 + 28];
        udp6[0] = 1;
        udp6[4 + 20] = 0x00; udp6[4 + 21] = 0x35; // port 53 on ::
        BinaryPrimitives.WriteUInt32LittleEndian(udp6.AsSpan(4 + 24), 4242);
        Assert.True(WindowsOwnerTableParser.TryParse(udp6, TransportProtocol.Udp, ipv6: true, out var rows6, out _));
        Assert.Equal(new OwnerTableRow(IPAddress.IPv6Any, 53, 4242, 0), Assert.Single(rows6));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 1, 0 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0 })]
    public void Short_buffers_are_failures(byte[] table)
    {
        Assert.False(WindowsOwnerTableParser.TryParse(table, TransportProtocol.Tcp, ipv6: false, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
