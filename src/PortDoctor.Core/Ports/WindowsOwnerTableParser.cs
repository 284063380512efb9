using System.Buffers.Binary;
using System.Net;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Ports;

/// <summary>One row of an IP Helper owner table: the local endpoint and the owning process id.</summary>
/// <param name="LocalAddress">The bound address.</param>
/// <param name="LocalPort">The bound port, 0–65535.</param>
/// <param name="ProcessId">The owning process id.</param>
/// <param name="State">TCP: the MIB_TCP_STATE (2 = LISTEN); UDP: 0.</param>
internal readonly record struct OwnerTableRow(IPAddress LocalAddress, int LocalPort, int ProcessId, int State);

/// <summary>
/// Parses the buffers GetExtendedTcpTable (TCP_TABLE_OWNER_PID_*) and GetExtendedUdpTable (UDP_TABLE_OWNER_PID)
/// fill: a DWORD row count, then fixed-size rows — MIB_TCPROW_OWNER_PID (24 bytes), MIB_TCP6ROW_OWNER_PID (56),
/// MIB_UDPROW_OWNER_PID (12), MIB_UDP6ROW_OWNER_PID (28). DWORDs are little-endian (every Windows target is);
/// addresses are in network order; each port is a DWORD whose first two bytes are the port in network order.
/// Pure, so it is tested on any OS with recorded bytes; never throws.
/// </summary>
internal static class WindowsOwnerTableParser
{
    /// <summary>MIB_TCP_STATE_LISTEN.</summary>
    public const int TcpListen = 2;

    /// <summary>Parses one table.</summary>
    /// <param name="table">The buffer as the API filled it (only the bytes it reported).</param>
    /// <param name="protocol">TCP or UDP table.</param>
    /// <param name="ipv6">True for an AF_INET6 table.</param>
    /// <param name="rows">The rows when the result is true.</param>
    /// <param name="error">What is wrong when the result is false.</param>
    /// <returns>False when the buffer is shorter than its row count says.</returns>
    public static bool TryParse(ReadOnlySpan<byte> table, TransportProtocol protocol, bool ipv6, out List<OwnerTableRow> rows, out string? error)
    {
        rows = [];
        int rowSize = (protocol, ipv6) switch
        {
            (TransportProtocol.Tcp, false) => 24,
            (TransportProtocol.Tcp, true) => 56,
            (TransportProtocol.Udp, false) => 12,
            _ => 28,
        };
        if (table.Length < 4)
        {
            error = "the owner table is shorter than its 4-byte row count";
            return false;
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(table);
        if (count > (uint)((table.Length - 4) / rowSize))
        {
            error = $"the owner table says {count} rows of {rowSize} bytes but holds {table.Length - 4} bytes";
            return false;
        }

        for (int i = 0; i < (int)count; i++)
        {
            var row = table.Slice(4 + (i * rowSize), rowSize);
            rows.Add((protocol, ipv6) switch
            {
                (TransportProtocol.Tcp, false) => new OwnerTableRow(new IPAddress(row.Slice(4, 4)), Port(row[8..]), Pid(row[20..]), (int)Dword(row)),
                (TransportProtocol.Tcp, true) => new OwnerTableRow(V6(row[..16], row[16..]), Port(row[20..]), Pid(row[52..]), (int)Dword(row[48..])),
                (TransportProtocol.Udp, false) => new OwnerTableRow(new IPAddress(row[..4]), Port(row[4..]), Pid(row[8..]), 0),
                _ => new OwnerTableRow(V6(row[..16], row[16..]), Port(row[20..]), Pid(row[24..]), 0),
            });
        }

        error = null;
        return true;
    }

    private static uint Dword(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    private static int Pid(ReadOnlySpan<byte> bytes) => (int)Dword(bytes);

    private static int Port(ReadOnlySpan<byte> bytes) => (bytes[0] << 8) | bytes[1];

    private static IPAddress V6(ReadOnlySpan<byte> address, ReadOnlySpan<byte> scope)
    {
        uint scopeId = Dword(scope);
        return new IPAddress(address, scopeId);
    }
}
