using PortDoctor.Integration.Tests.Harness;

namespace PortDoctor.Integration.Tests;

/// <summary>
/// Issue "NAT-PMP and PCP beside UPnP": the real portdoctor against the real miniupnpd in each variant picks the
/// protocol the preference order says (PCP &gt; NAT-PMP &gt; UPnP IGD), the port is reachable from the internet, and
/// close removes exactly what open made.
/// </summary>
[Collection(TestbedSerialGroup.Name)]
public sealed class ProtocolVariantTests
{
    [Theory]
    [InlineData("natpmp-only", "pcp")] // miniupnpd with enable_upnp=no still speaks PCP and NAT-PMP
    [InlineData("upnp-only", "upnp")]
    [InlineData("igd1", "pcp")] // IGD:1 description, but NAT-PMP/PCP are on too and preferred; see the status assertion
    public async Task Open_uses_the_preferred_protocol_is_reachable_from_outside_and_close_removes_it(string variant, string method)
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        await using var tb = await Testbed.UpAsync(variant, PortDoctorRun.CheckerCommand);
        using var pd = new PortDoctorRun(tb);
        await tb.StartHttpServerAsync(Host.Pc, "0.0.0.0", 8080);

        var (open, report) = await pd.RunJsonAsync("open", "8080", "--checker", pd.Checker);

        Assert.True(open.ExitCode == 0, open.ToString());
        Assert.Equal("Reachable", report.GetProperty("verdict").GetString());
        var mapping = PortDoctorRun.Step(report, "mapping.tcp");
        Assert.Equal(method, mapping.GetProperty("evidence").GetProperty("method").GetString());
        Assert.Equal(tb.PcIp, mapping.GetProperty("evidence").GetProperty("internalClient").GetString());
        Assert.Contains("Directory listing", await tb.HttpGetAsync(Host.Inet, $"http://{tb.RouterWanIp}:8080/"), StringComparison.Ordinal);
        Assert.NotEmpty(await tb.RouterMappingRulesAsync());

        if (variant == "igd1")
        {
            // The IGD:1 device is found and named beside PCP and NAT-PMP.
            var (_, status) = await pd.RunJsonAsync("status");
            Assert.Contains(status.GetProperty("routers").EnumerateArray(), r => r.GetProperty("method").GetString() == "upnp");
        }

        var close = await pd.RunAsync("close", "8080");
        Assert.True(close.ExitCode == 0, close.ToString());
        Assert.Empty(await tb.RouterMappingRulesAsync());
        Assert.False(await tb.CanConnectTcpAsync(Host.Inet, tb.RouterWanIp, 8080, TestbedTestHelpers.BlockedConnectTimeout));
    }

    [Fact]
    public async Task In_home_status_lists_all_three_open_uses_pcp_and_close_from_a_fresh_process_removes_it_with_the_journaled_nonce()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        await using var tb = await Testbed.UpAsync("home", PortDoctorRun.CheckerCommand);
        using var pd = new PortDoctorRun(tb);

        var (status, statusJson) = await pd.RunJsonAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        var routers = statusJson.GetProperty("routers").EnumerateArray().ToList();
        Assert.Equal(["pcp", "natpmp", "upnp"], routers.Select(r => r.GetProperty("method").GetString()));
        Assert.All(routers, r => Assert.Equal(tb.RouterWanIp, r.GetProperty("externalAddress").GetString()));

        var (open, report) = await pd.RunJsonAsync("open", "8080", "--no-check");
        Assert.True(open.ExitCode == 0, open.ToString());
        Assert.Equal("pcp", PortDoctorRun.Step(report, "mapping.tcp").GetProperty("evidence").GetProperty("method").GetString());
        Assert.Equal("pcp", PortDoctorRun.Step(report, "gateway").GetProperty("evidence").GetProperty("method").GetString());
        var journal = await File.ReadAllTextAsync(Path.Combine(pd.StateDir, "journal.jsonl"), TestContext.Current.CancellationToken);
        Assert.Matches("\"pcpNonce\":\"[0-9a-f]{24}\"", journal);
        Assert.NotEmpty(await tb.RouterMappingRulesAsync());

        // Every run is a fresh process: close rebuilds the PCP mapper from the journal and deletes with its nonce.
        var close = await pd.RunAsync("close", "8080");
        Assert.True(close.ExitCode == 0, close.ToString());
        Assert.Contains("(PCP)", close.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(await tb.RouterMappingRulesAsync());
    }
}
