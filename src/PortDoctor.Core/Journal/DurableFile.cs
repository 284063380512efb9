using System.Runtime.InteropServices;
using System.Text;

namespace PortDoctor.Core.Journal;

/// <summary>
/// The few file-system calls .NET does not offer: <c>fsync</c> of a directory (so that a newly created
/// file's name survives a power cut, POSIX <c>fsync(2)</c>) and reading a file that another process
/// holds an exclusive <c>flock</c> on (.NET takes a shared <c>flock</c> on every open and so cannot).
/// Only blittable arguments and a byte array cross the boundary, which NativeAOT compiles ahead of time.
/// </summary>
internal static class DurableFile
{
    // open(2) flags, identical on every Linux architecture .NET runs on (asm-generic values).
    private const int LinuxReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC

    // macOS: O_RDONLY | O_CLOEXEC (the BSDs use other values and are not handled).
    private const int AppleReadOnlyCloseOnExec = 0x1000000;

    /// <summary>
    /// Makes the directory entries of <paramref name="directory"/> durable (a file created in it, or a
    /// folder created in it). On Windows there is nothing to do: NTFS journals the name with the file, and
    /// flushing the file suffices.
    /// </summary>
    /// <param name="directory">The folder to flush.</param>
    /// <returns>True when the folder was flushed; false on Windows, or when the OS refused (best effort:
    /// the file itself has been flushed, only a power cut at this very moment could lose its name).</returns>
    public static bool FlushDirectory(string directory) =>
        WithReadOnlyDescriptor(directory, fd => Native.Fsync(fd) == 0, false);

    /// <summary>
    /// Reads up to <paramref name="maxBytes"/> from the start of <paramref name="path"/> even while another
    /// process holds an exclusive lock on it (Unix advisory locks do not stop a raw <c>read(2)</c>; on
    /// Windows the holder shares reading).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">How many bytes to read at most, 1–4096.</param>
    /// <returns>The bytes read, or null when the file cannot be read.</returns>
    public static byte[]? ReadHead(string path, int maxBytes)
    {
        var buffer = new byte[Math.Clamp(maxBytes, 1, 4096)];
        if (OperatingSystem.IsWindows())
        {
            try
            {
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                int n = RandomAccess.Read(handle, buffer, 0);
                return buffer.AsSpan(0, n).ToArray();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        return WithReadOnlyDescriptor(
            path,
            fd =>
            {
                nint n = Native.Read(fd, buffer, buffer.Length);
                return n < 0 ? null : buffer.AsSpan(0, (int)n).ToArray();
            },
            (byte[]?)null);
    }

    /// <summary>Opens <paramref name="path"/> read-only with <c>open(2)</c>, runs <paramref name="use"/> on the descriptor and closes it.</summary>
    /// <returns>What <paramref name="use"/> returned; <paramref name="failed"/> on an OS not handled here, a path that
    /// cannot be opened, or a C library without the entry point.</returns>
    private static T WithReadOnlyDescriptor<T>(string path, Func<int, T> use, T failed)
    {
        int flags = OpenFlags();
        if (flags < 0)
        {
            return failed;
        }

        try
        {
            int fd = Native.Open(PathBytes(path), flags);
            if (fd < 0)
            {
                return failed;
            }

            try
            {
                return use(fd);
            }
            finally
            {
                _ = Native.Close(fd);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return failed;
        }
    }

    private static int OpenFlags()
    {
        if (OperatingSystem.IsLinux())
        {
            return LinuxReadOnlyCloseOnExec;
        }

        if (OperatingSystem.IsMacOS())
        {
            return AppleReadOnlyCloseOnExec;
        }

        return -1;
    }

    private static byte[] PathBytes(string path) => Encoding.UTF8.GetBytes(path + "\0");

    /// <summary>
    /// libc entry points. "libc" is the name the .NET loader maps to the platform's C library (libc.so.6
    /// on glibc, libc.dylib on macOS). DllImport rather than LibraryImport: the latter needs unsafe code
    /// enabled for the whole project, and these signatures need no marshalling beyond pinning a byte array.
    /// </summary>
    private static class Native
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "read", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern nint Read(int fd, byte[] buffer, nint count);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Close(int fd);
    }
}
