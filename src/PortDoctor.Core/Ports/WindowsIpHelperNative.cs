using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace PortDoctor.Core.Ports;

/// <summary>
/// iphlpapi.dll entry points. Every parameter is blittable (IntPtr, int, ref int), so the runtime needs no
/// marshalling stub and the declarations are NativeAOT-safe without unsafe code (LibraryImport would need
/// AllowUnsafeBlocks in the project).
/// </summary>
[SupportedOSPlatform("windows")]
internal static class WindowsIpHelperNative
{
    public const int AfInet = 2;
    public const int AfInet6 = 23;
    public const int TcpTableOwnerPidListener = 3;
    public const int UdpTableOwnerPid = 1;
    public const uint NoError = 0;
    public const uint ErrorInsufficientBuffer = 122;

    /// <summary>GetExtendedTcpTable (iphlpapi.h): fills <paramref name="table"/> or reports the size needed in <paramref name="size"/>.</summary>
    [DllImport("iphlpapi.dll", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    public static extern uint GetExtendedTcpTable(IntPtr table, ref int size, int order, int addressFamily, int tableClass, int reserved);

    /// <summary>GetExtendedUdpTable (iphlpapi.h).</summary>
    [DllImport("iphlpapi.dll", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    public static extern uint GetExtendedUdpTable(IntPtr table, ref int size, int order, int addressFamily, int tableClass, int reserved);
}
