using System.Net;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Ports;

/// <summary>A socket bound to a port: a TCP listener or a bound UDP socket, with its owning process when known.</summary>
/// <param name="Protocol">TCP or UDP.</param>
/// <param name="LocalAddress">The bound address (0.0.0.0 / :: for a wildcard bind).</param>
/// <param name="Port">The bound port, 0–65535.</param>
/// <param name="ProcessId">The owning process id, or null when it could not be read (another user's process without privileges).</param>
/// <param name="ProcessName">The process name (Linux <c>/proc/PID/comm</c>), when known.</param>
/// <param name="ExecutablePath">The program file (Linux <c>/proc/PID/exe</c>), when readable.</param>
public sealed record PortOwner(
    TransportProtocol Protocol,
    IPAddress LocalAddress,
    int Port,
    int? ProcessId,
    string? ProcessName,
    string? ExecutablePath)
{
    /// <summary>"name (pid N)" or "an unknown process" for messages.</summary>
    public string Describe() => ProcessId is int pid
        ? $"{ProcessName ?? "?"} (pid {pid}{(ExecutablePath is null ? "" : ", " + ExecutablePath)})"
        : "a process PortDoctor may not inspect (run as administrator/root to see which)";
}
