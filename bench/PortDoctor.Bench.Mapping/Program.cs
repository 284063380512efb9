using System.Globalization;
using PortDoctor.Bench;
using PortDoctor.Bench.Mapping;

// Times `portdoctor open 8080 --no-check` (the NativeAOT binary) against upnpc and natpmpc doing the same job in
// testbed networks, and `open` with no router at all. Exit 0 when every target is met, 1 when one is missed,
// 2 on a setup problem. Must run as root (network namespaces). See bench/README.md.
var inv = CultureInfo.InvariantCulture;
int runs = 10;
string? binary = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], inv, out int n) && n >= 10 && n <= 200:
            runs = n;
            i++;
            break;
        case "--binary" when i + 1 < args.Length:
            binary = args[++i];
            break;
        default:
            Console.Error.WriteLine("usage: PortDoctor.Bench.Mapping [--runs N (10-200, default 10)] [--binary PATH-TO-AOT-portdoctor]");
            return 2;
    }
}

if (!Environment.IsPrivilegedProcess)
{
    Console.Error.WriteLine("The benchmark builds network namespaces: run it as root (sudo dotnet run -c Release --project bench/PortDoctor.Bench.Mapping).");
    return 2;
}

string root = Repo.Root();
foreach (string tool in new[] { "upnpc", "natpmpc", "miniupnpd" })
{
    if (!Repo.OnPath(tool))
    {
        Console.Error.WriteLine($"'{tool}' is not installed; the benchmark compares against it (Debian: miniupnpc, natpmpc, miniupnpd-nftables).");
        return 2;
    }
}

binary = await Repo.AotBinaryAsync(binary, "PortDoctor.Bench.Mapping");
if (binary is null)
{
    return 2;
}

string stateDir = Directory.CreateTempSubdirectory("pd-bench-state-").FullName;
var results = new List<Result>();
try
{
    string[] Ours(params string[] a) => [binary, .. a, "--state-dir", stateDir, "--lang", "en"];

    // The same job as the peer tools: map the port on the router. upnpc and natpmpc do not read or change the
    // host firewall, so --no-firewall; the full `open` (with the firewall step) is timed separately below.
    results.Add(await Compare.RunAsync(root, "upnp-only", "UPnP IGD", runs,
        ours: Ours("open", "8080", "--no-check", "--no-firewall"), oursUndo: Ours("close", "8080"),
        theirsName: "upnpc", theirs: tb => ["upnpc", "-e", "x", "-a", tb.PcIp, "8080", "8080", "TCP"], theirsUndo: _ => ["upnpc", "-d", "8080", "TCP"],
        target: new Target(TargetKind.TheirsOverOurs, 10.0)));

    results.Add(await Compare.RunAsync(root, "natpmp-only", "NAT-PMP/PCP", runs,
        ours: Ours("open", "8080", "--no-check", "--no-firewall"), oursUndo: Ours("close", "8080"),
        theirsName: "natpmpc", theirs: _ => ["natpmpc", "-a", "8080", "8080", "tcp", "3600"], theirsUndo: _ => ["natpmpc", "-a", "8080", "8080", "tcp", "0"],
        target: new Target(TargetKind.OursOverTheirs, 1.5)));

    results.Add(await Compare.RunAsync(root, "upnp-only", "UPnP IGD, full open (host firewall step included)", runs,
        ours: Ours("open", "8080", "--no-check"), oursUndo: Ours("close", "8080"),
        theirsName: "upnpc", theirs: tb => ["upnpc", "-e", "x", "-a", tb.PcIp, "8080", "8080", "TCP"], theirsUndo: _ => ["upnpc", "-d", "8080", "TCP"],
        target: new Target(TargetKind.TheirsOverOurs, 10.0)));

    results.Add(await Compare.NoRouterAsync(root, Ours("open", "8080", "--no-check", "--no-firewall")));
}
finally
{
    Directory.Delete(stateDir, recursive: true);
}

Console.WriteLine();
Console.WriteLine($"{"path",-24} {"portdoctor",12} {"other",18} {"ratio",10} {"target",16}  result");
Console.WriteLine(new string('-', 92));
foreach (Result r in results)
{
    Console.WriteLine(r.Row());
}

Console.WriteLine();
Console.WriteLine("Median wall times of the map command only (process start to exit, `ip netns exec` included for every tool); undo between runs untimed.");
bool ok = results.All(r => r.Met);
Console.WriteLine(ok ? "All targets met." : "A target was missed.");
return ok ? 0 : 1;
