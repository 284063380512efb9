using System.Globalization;
using System.Net;

namespace PortDoctor.Core.Ports;

/// <summary>One socket row of <c>/proc/net/{tcp,tcp6,udp,udp6}</c>.</summary>
/// <param name="LocalAddress">The local address.</param>
/// <param name="LocalPort">The local port.</param>
/// <param name="State">The kernel socket state (TCP: 0x0A = LISTEN; UDP: 0x07 = unconnected/bound).</param>
/// <param name="Inode">The socket inode, matched against <c>/proc/PID/fd</c> links <c>socket:[INODE]</c>.</param>
internal readonly record struct ProcNetSocket(IPAddress LocalAddress, int LocalPort, int State, long Inode);

/// <summary>
/// Parses the Linux <c>/proc/net/tcp</c>-style tables (see the kernel's <c>Documentation/networking/proc_net_tcp.rst</c>).
/// Pure: takes the file text, never throws; unreadable rows are skipped.
/// </summary>
internal static class ProcNetParser
{
    /// <summary>TCP state LISTEN in <c>/proc/net/tcp</c>.</summary>
    public const int TcpListen = 0x0A;

    /// <summary>Parses every row of one table.</summary>
    /// <param name="text">The whole file text, header line included.</param>
    /// <returns>The rows that parsed.</returns>
    public static List<ProcNetSocket> Parse(string text)
    {
        var rows = new List<ProcNetSocket>();
        if (string.IsNullOrEmpty(text))
        {
            return rows;
        }

        foreach (var rawLine in text.Split('\n'))
        {
            var fields = rawLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode
            if (fields.Length < 10 || !fields[0].EndsWith(':'))
            {
                continue;
            }

            if (TryParseEndpoint(fields[1], out var address, out int port)
                && int.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int state)
                && long.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out long inode))
            {
                rows.Add(new ProcNetSocket(address, port, state, inode));
            }
        }

        return rows;
    }

    /// <summary>
    /// Parses "0100007F:1F90" (IPv4) or a 32-hex-digit IPv6 address; the kernel prints each 32-bit word
    /// of the address in host byte order (little-endian on x86/ARM), the port in big-endian hex.
    /// </summary>
    /// <param name="text">The field.</param>
    /// <param name="address">The address.</param>
    /// <param name="port">The port.</param>
    /// <returns>False when the field is malformed.</returns>
    public static bool TryParseEndpoint(string text, out IPAddress address, out int port)
    {
        address = IPAddress.None;
        port = 0;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon is not (8 or 32) || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out port) || port is < 0 or > 65535)
        {
            return false;
        }

        var bytes = new byte[colon / 2];
        for (int word = 0; word < colon / 8; word++)
        {
            if (!uint.TryParse(text.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint value))
            {
                return false;
            }

            if (BitConverter.IsLittleEndian)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(word * 4), value);
            }
            else
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(word * 4), value);
            }
        }

        address = new IPAddress(bytes);
        return true;
    }
}
