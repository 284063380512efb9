using System.Text.RegularExpressions;
using PortDoctor.Integration.Tests.Harness;

namespace PortDoctor.Integration.Tests;

/// <summary>
/// The host firewall done for real with iptables (Debian's iptables-nft): diagnose names it, open adds one
/// narrow rule through iptables, close leaves iptables-save exactly as it was (apart from counters).
/// </summary>
[Collection(TestbedSerialGroup.Name)]
public sealed partial class IptablesFirewallTests
{
    [GeneratedRegex(@"\[\d+:\d+\]")]
    private static partial Regex Counters();

    [GeneratedRegex(@"^#.*$", RegexOptions.Multiline)]
    private static partial Regex Comments();

    private static string Normalise(string save) => Comments().Replace(Counters().Replace(save, "[0:0]"), "").Trim();

    [Fact]
    public async Task Iptables_input_policy_drop_is_found_opened_narrowly_and_restored_exactly()
    {
        TestbedRequirements.SkipUnlessAvailable(["iptables", "iptables-save"]);
        await using var tb = await Testbed.UpAsync("home", PortDoctorRun.CheckerCommand);
        using var pd = new PortDoctorRun(tb);
        (await tb.ExecAsync(Host.Pc, "iptables", "-A", "INPUT", "-i", "lo", "-j", "ACCEPT")).EnsureSuccess();
        (await tb.ExecAsync(Host.Pc, "iptables", "-A", "INPUT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT")).EnsureSuccess();
        (await tb.ExecAsync(Host.Pc, "iptables", "-P", "INPUT", "DROP")).EnsureSuccess();
        await tb.StartHttpServerAsync(Host.Pc, "0.0.0.0", 8080);
        string before = Normalise((await tb.ExecAsync(Host.Pc, "iptables-save")).StandardOutput);

        var (diagnose, report) = await pd.RunJsonAsync("diagnose", "8080", "--checker", pd.Checker, "--firewall", "iptables");
        Assert.Equal(1, diagnose.ExitCode);
        Assert.Equal("host-firewall-blocks", report.GetProperty("rootCause").GetString());

        var (open, openJson) = await pd.RunJsonAsync("open", "8080", "--checker", pd.Checker, "--firewall", "iptables");
        Assert.True(open.ExitCode == 0, open.ToString());
        var step = PortDoctorRun.Step(openJson, "firewall.tcp");
        Assert.Equal("Done", step.GetProperty("status").GetString());
        Assert.Equal("iptables", step.GetProperty("evidence").GetProperty("backend").GetString());
        string during = (await tb.ExecAsync(Host.Pc, "iptables-save")).StandardOutput;
        Assert.Contains("--dport 8080", during, StringComparison.Ordinal);
        Assert.Contains("portdoctor:8080/tcp", during, StringComparison.Ordinal);

        Assert.Equal(0, (await pd.RunAsync("close", "8080", "--firewall", "iptables")).ExitCode);
        Assert.Equal(before, Normalise((await tb.ExecAsync(Host.Pc, "iptables-save")).StandardOutput));
        Assert.Empty(await tb.RouterMappingRulesAsync());
    }
}
