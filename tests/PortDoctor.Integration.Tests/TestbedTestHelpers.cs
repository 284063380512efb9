using PortDoctor.Integration.Tests.Harness;

namespace PortDoctor.Integration.Tests;

/// <summary>Peer-tool conveniences shared by the testbed self-tests.</summary>
internal static class TestbedTestHelpers
{
    /// <summary>How long a connect that should fail is given: a dropped SYN just hangs, so keep it short.</summary>
    public static readonly TimeSpan BlockedConnectTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a server started in the background gets to listen (python3 start-up on a busy box).</summary>
    public static readonly TimeSpan ServerStartTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Starts <c>python3 -m http.server</c> on <paramref name="ip"/>:<paramref name="port"/> in <paramref name="host"/> and waits until it accepts.</summary>
    public static async Task<BackgroundProcess> StartHttpServerAsync(this Testbed tb, Host host, string ip, int port)
    {
        var server = await tb.StartBackgroundAsync(
            host, "python3", "-u", "-m", "http.server", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", ip);
        await tb.WaitForTcpAsync(host, ip, port, ServerStartTimeout);
        return server;
    }

    /// <summary>GETs <paramref name="url"/> from inside <paramref name="host"/>; returns the body, or fails the test.</summary>
    public static async Task<string> HttpGetAsync(this Testbed tb, Host host, string url)
    {
        var result = await tb.ExecAsync(
            host, "python3", "-c",
            "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())",
            url);
        Assert.True(result.Succeeded, result.ToString());
        return result.StandardOutput;
    }

    /// <summary>Runs <c>upnpc ARGS</c> in the PC (SSDP discovery stays on the PC's LAN link).</summary>
    public static Task<CommandResult> UpnpcAsync(this Testbed tb, params string[] args) =>
        tb.ExecAsync(Host.Pc, "upnpc", args);

    /// <summary>
    /// Sends one PCP ANNOUNCE request (RFC 6887 §14.1, version 2, opcode 0) from the PC to the router
    /// and returns the response's result code, or null when nothing answers within 3 s.
    /// </summary>
    public static async Task<int?> PcpAnnounceResultAsync(this Testbed tb)
    {
        const string Script = """
            import ipaddress, socket, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(3)
            client = b"\0" * 10 + b"\xff\xff" + ipaddress.IPv4Address(sys.argv[2]).packed
            s.sendto(bytes([2, 0, 0, 0]) + bytes(4) + client, (sys.argv[1], 5351))
            try:
                r = s.recv(1100)
            except socket.timeout:
                sys.exit(3)
            assert r[0] == 2 and r[1] == 0x80, r[:4]
            print(r[3])
            """;
        var result = await tb.ExecAsync(Host.Pc, "python3", "-c", Script, tb.RouterLanIp, tb.PcIp);
        if (result.ExitCode == 3)
        {
            return null;
        }

        Assert.True(result.Succeeded, result.ToString());
        return int.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <c>natpmpc -g ROUTER_LAN_IP ARGS</c> in the PC.</summary>
    public static Task<CommandResult> NatpmpcAsync(this Testbed tb, params string[] args) =>
        tb.ExecAsync(Host.Pc, "natpmpc", ["-g", tb.RouterLanIp, .. args]);
}
