using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Ports;

/// <summary>
/// Windows implementation: TCP listeners from GetExtendedTcpTable(TCP_TABLE_OWNER_PID_LISTENER) and bound
/// UDP sockets from GetExtendedUdpTable(UDP_TABLE_OWNER_PID), IPv4 and IPv6; process names and paths through
/// <see cref="Process"/> (paths of other users' and system processes need administrator rights).
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsPortOwnerLookup : IPortOwnerLookup
{
    // Sockets come and go between the size query and the fill; a few retries absorb that race.
    private const int MaxAttempts = 4;

    /// <inheritdoc />
    public IReadOnlyList<PortOwner> FindOwners(TransportProtocol protocol, int port)
    {
        var owners = new List<PortOwner>();
        foreach (bool ipv6 in new[] { false, true })
        {
            byte[]? table = ReadTable(protocol, ipv6);
            if (table is null || !WindowsOwnerTableParser.TryParse(table, protocol, ipv6, out var rows, out _))
            {
                continue;
            }

            foreach (var row in rows)
            {
                if (row.LocalPort != port || (protocol == TransportProtocol.Tcp && row.State != WindowsOwnerTableParser.TcpListen))
                {
                    continue;
                }

                var (name, path) = DescribeProcess(row.ProcessId);
                owners.Add(new PortOwner(protocol, row.LocalAddress, row.LocalPort, row.ProcessId, name, path));
            }
        }

        return owners;
    }

    private static byte[]? ReadTable(TransportProtocol protocol, bool ipv6)
    {
        int family = ipv6 ? WindowsIpHelperNative.AfInet6 : WindowsIpHelperNative.AfInet;
        int size = 0;
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            IntPtr buffer = size == 0 ? IntPtr.Zero : Marshal.AllocHGlobal(size);
            try
            {
                int requested = size;
                uint status = protocol == TransportProtocol.Tcp
                    ? WindowsIpHelperNative.GetExtendedTcpTable(buffer, ref size, 0, family, WindowsIpHelperNative.TcpTableOwnerPidListener, 0)
                    : WindowsIpHelperNative.GetExtendedUdpTable(buffer, ref size, 0, family, WindowsIpHelperNative.UdpTableOwnerPid, 0);
                if (status == WindowsIpHelperNative.NoError && buffer != IntPtr.Zero)
                {
                    var bytes = new byte[Math.Min(size, requested)];
                    Marshal.Copy(buffer, bytes, 0, bytes.Length);
                    return bytes;
                }

                if (status != WindowsIpHelperNative.ErrorInsufficientBuffer && !(status == WindowsIpHelperNative.NoError && buffer == IntPtr.Zero))
                {
                    return null;
                }
            }
            finally
            {
                if (buffer != IntPtr.Zero)
                {
                    Marshal.FreeHGlobal(buffer);
                }
            }
        }

        return null;
    }

    private static (string? Name, string? Path) DescribeProcess(int pid)
    {
        if (pid is 0 or 4)
        {
            return (pid == 0 ? "System Idle Process" : "System", null); // kernel-owned sockets (http.sys listeners show as System)
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            string? path = null;
            try
            {
                path = process.MainModule?.FileName;
            }
            catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or NotSupportedException)
            {
                // Another user's or a protected process: the name is still useful.
            }

            return (process.ProcessName, path);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return (null, null); // exited since the table was read
        }
    }
}
