using System.Text.Json;
using Json.Schema;
using PortDoctor.Integration.Tests.Harness;

namespace PortDoctor.Integration.Tests;

/// <summary>
/// The guide's troubleshooting list, automated: each testbed scenario must give the right root cause
/// (in JSON that validates against docs/diagnose.schema.json) and render in Japanese and English.
/// </summary>
[Collection(TestbedSerialGroup.Name)]
public sealed class DiagnoseScenarioTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "diagnose.schema.json"))));

    /// <summary>Runs diagnose as JSON (validated) and in Japanese; returns the JSON root.</summary>
    private static async Task<JsonElement> DiagnoseAsync(PortDoctorRun pd, params string[] args)
    {
        var (result, json) = await pd.RunJsonAsync(["diagnose", .. args]);
        var evaluation = Schema.Value.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(evaluation.IsValid, "diagnose --json does not match docs/diagnose.schema.json: " + result.StandardOutput);
        Assert.Equal(json.GetProperty("exitCode").GetInt32(), result.ExitCode);

        var ja = await pd.RunAsync(["diagnose", .. args, "--lang", "ja"]);
        Assert.Equal(result.ExitCode, ja.ExitCode);
        string? root = json.GetProperty("rootCause").GetString();
        // No root cause and exit 1: nothing outside proved the port reachable ("not confirmed"), never "all fine".
        bool unconfirmed = root is null && result.ExitCode != 0;
        Assert.Contains(root is not null ? $"原因 [{root}]" : unconfirmed ? "未確認" : "問題なし", ja.StandardOutput, StringComparison.Ordinal);
        var en = await pd.RunAsync(["diagnose", .. args, "--lang", "en"]);
        Assert.Contains(root is not null ? $"ROOT CAUSE [{root}]" : unconfirmed ? "NOT CONFIRMED" : "ALL FINE", en.StandardOutput, StringComparison.Ordinal);
        return json;
    }

    private static JsonElement Finding(JsonElement report, string id) =>
        report.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("id").GetString() == id);

    private static string? Evidence(JsonElement finding, string key) =>
        finding.GetProperty("evidence").TryGetProperty(key, out var v) ? v.GetString() : null;

    [Fact]
    public async Task Home_with_a_server_and_a_mapping_is_all_fine_and_stun_reports_the_public_address()
    {
        TestbedRequirements.SkipUnlessAvailable(["turnserver"]);
        await using var tb = await Testbed.UpAsync("home", PortDoctorRun.CheckerCommand);
        using var pd = new PortDoctorRun(tb);
        await tb.StartBackgroundAsync(Host.Inet, "turnserver", "--stun-only", "--listening-ip", tb.InetIp, "--listening-port", "3478",
            "--no-cli", "--no-tls", "--no-dtls", "--log-file", "stdout", "--simple-log");
        await tb.StartHttpServerAsync(Host.Pc, "0.0.0.0", 8080);
        Assert.Equal(0, (await pd.RunAsync("open", "8080", "--checker", pd.Checker)).ExitCode);

        var report = await DiagnoseAsync(pd, "8080", "--checker", pd.Checker, "--stun", tb.InetIp + ":3478");

        Assert.Equal(JsonValueKind.Null, report.GetProperty("rootCause").ValueKind);
        Assert.Equal(0, report.GetProperty("exitCode").GetInt32());
        Assert.Equal("Info", Finding(report, "reachable").GetProperty("severity").GetString());
        var publicAddress = Finding(report, "public-address");
        Assert.Equal(tb.PublicIp, Evidence(publicAddress, "publicAddress"));
        Assert.Contains($"={tb.PublicIp}:", Evidence(publicAddress, "stun"), StringComparison.Ordinal);

        // Without a checker, STUN alone supplies the public address.
        var stunOnly = await DiagnoseAsync(pd, "8080", "--stun", tb.InetIp + ":3478");
        Assert.Equal("Diag.Verdict.UnconfirmedPort", stunOnly.GetProperty("verdict").GetProperty("key").GetString());
        Assert.Equal(1, stunOnly.GetProperty("exitCode").GetInt32());
        var stunFinding = Finding(stunOnly, "public-address");
        Assert.Equal(tb.PublicIp, Evidence(stunFinding, "publicAddress"));
        Assert.StartsWith("stun", Evidence(stunFinding, "source"), StringComparison.Ordinal);

        Assert.Equal(0, (await pd.RunAsync("close", "8080")).ExitCode);
    }

    [Fact]
    public async Task No_upnp_router_means_forward_by_hand_with_the_exact_values()
    {
        TestbedRequirements.SkipUnlessAvailable();
        await using var tb = await Testbed.UpAsync("no-upnp", PortDoctorRun.CheckerCommand);
        using var pd = new PortDoctorRun(tb);
        await tb.StartHttpServerAsync(Host.Pc, "0.0.0.0", 8080);

        var report = await DiagnoseAsync(pd, "8080", "--checker", pd.Checker);

        Assert.Equal("no-gateway", report.GetProperty("rootCause").GetString());
        string fix = Finding(report, "no-gateway").GetProperty("fix").GetProperty("text").GetString()!;
        Assert.Contains($"internal address {tb.PcIp} port 8080", fix, StringComparison.Ordinal);
        Assert.Contains("external port 8080", fix, StringComparison.Ordinal);
        Assert.Contains("TCP", fix, StringComparison.Ordinal);
        Assert.Contains($"http://{tb.RouterLanIp}/", fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_firewall_that_drops_the_port_is_the_root_cause_and_open_then_close_restore_it_exactly()
    {
        TestbedRequirements.SkipUnlessAvailable();
        await using var tb = await Testbed.UpAsync("host-firewall", PortDoctorRun.CheckerCommand);
        using var pd = new PortDoctorRun(tb);
        await tb.StartHttpServerAsync(Host.Pc, "0.0.0.0", 8080);
        string before = Normalise((await tb.ExecAsync(Host.Pc, "nft", "list", "ruleset")).StandardOutput);

        var report = await DiagnoseAsync(pd, "8080", "--checker", pd.Checker);
        Assert.Equal("host-firewall-blocks", report.GetProperty("rootCause").GetString());
        var blocks = Finding(report, "host-firewall-blocks");
        Assert.Equal("nftables", Evidence(blocks, "backend"));
        Assert.Contains("policy drop", Evidence(blocks, "decidedBy"), StringComparison.Ordinal);
        Assert.Equal("Fault", Finding(report, "not-reachable").GetProperty("severity").GetString());

        var (open, openJson) = await pd.RunJsonAsync("open", "8080", "--checker", pd.Checker);
        Assert.True(open.ExitCode == 0, open.ToString());
        Assert.Equal("Done", PortDoctorRun.Step(openJson, "firewall.tcp").GetProperty("status").GetString());
        Assert.Contains("portdoctor:8080/tcp", (await tb.ExecAsync(Host.Pc, "nft", "list", "ruleset")).StandardOutput, StringComparison.Ordinal);

        var after = await DiagnoseAsync(pd, "8080", "--checker", pd.Checker);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("rootCause").ValueKind);

        Assert.Equal(0, (await pd.RunAsync("close", "8080")).ExitCode);
        string restored = Normalise((await tb.ExecAsync(Host.Pc, "nft", "list", "ruleset")).StandardOutput);
        Assert.Equal(before, restored);
        Assert.Empty(await tb.RouterMappingRulesAsync());
    }

    [Fact]
    public async Task A_mapping_left_for_the_pcs_old_address_is_a_stale_mapping_naming_both_addresses()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        await using var tb = await Testbed.UpAsync("home", PortDoctorRun.CheckerCommand);
        using var pd = new PortDoctorRun(tb);
        string oldIp = tb.PcIp;
        Assert.True((await tb.UpnpcAsync("-e", "old", "-a", oldIp, "8080", "8080", "TCP")).Succeeded);

        // The PC gets another address from DHCP: .10 becomes .11.
        string newIp = oldIp[..oldIp.LastIndexOf('.')] + ".11";
        (await tb.ExecAsync(Host.Pc, "ip", "addr", "del", oldIp + "/24", "dev", "eth0")).EnsureSuccess();
        (await tb.ExecAsync(Host.Pc, "ip", "addr", "add", newIp + "/24", "dev", "eth0")).EnsureSuccess();
        (await tb.ExecAsync(Host.Pc, "ip", "route", "replace", "default", "via", tb.RouterLanIp)).EnsureSuccess();
        await tb.StartHttpServerAsync(Host.Pc, "0.0.0.0", 8080);

        var report = await DiagnoseAsync(pd, "8080", "--checker", pd.Checker);

        Assert.Equal("stale-mapping", report.GetProperty("rootCause").GetString());
        var stale = Finding(report, "stale-mapping");
        Assert.Equal(oldIp, Evidence(stale, "internalClient"));
        Assert.Equal(newIp, Evidence(stale, "thisPc"));
        Assert.Contains("DHCP", stale.GetProperty("fix").GetProperty("text").GetString(), StringComparison.Ordinal);

        // Clean the router: the old mapping belongs to the old address, which secure mode lets only it delete.
        (await tb.ExecAsync(Host.Pc, "ip", "addr", "del", newIp + "/24", "dev", "eth0")).EnsureSuccess();
        (await tb.ExecAsync(Host.Pc, "ip", "addr", "add", oldIp + "/24", "dev", "eth0")).EnsureSuccess();
        (await tb.ExecAsync(Host.Pc, "ip", "route", "replace", "default", "via", tb.RouterLanIp)).EnsureSuccess();
        await CleanRouterAsync(tb);
        Assert.Empty(await tb.RouterMappingRulesAsync());
    }

    [Fact]
    public async Task A_second_router_without_upnp_is_double_nat_naming_both_routers()
    {
        TestbedRequirements.SkipUnlessAvailable();
        await using var tb = await Testbed.UpAsync("double-nat", PortDoctorRun.CheckerCommand);
        using var pd = new PortDoctorRun(tb);
        await tb.StartHttpServerAsync(Host.Pc, "0.0.0.0", 8080);

        var report = await DiagnoseAsync(pd, "8080", "--checker", pd.Checker);

        Assert.Equal("double-nat", report.GetProperty("rootCause").GetString());
        var finding = Finding(report, "double-nat");
        Assert.Equal(tb.RouterLanIp, Evidence(finding, "firstRouter"));
        Assert.Equal(tb.UpstreamLanIp, Evidence(finding, "secondRouter"));
        Assert.Contains("bridge mode", finding.GetProperty("fix").GetProperty("text").GetString(), StringComparison.Ordinal);
        await CleanRouterAsync(tb);
    }

    [Fact]
    public async Task A_router_behind_carrier_grade_nat_is_cgnat_and_port_opening_cannot_work()
    {
        TestbedRequirements.SkipUnlessAvailable();
        await using var tb = await Testbed.UpAsync("cgnat", PortDoctorRun.CheckerCommand);
        using var pd = new PortDoctorRun(tb);
        await tb.StartHttpServerAsync(Host.Pc, "0.0.0.0", 8080);

        var report = await DiagnoseAsync(pd, "8080", "--checker", pd.Checker);

        Assert.Equal("cgnat", report.GetProperty("rootCause").GetString());
        var finding = Finding(report, "cgnat");
        Assert.StartsWith("100.", Evidence(finding, "carrierHop") is { Length: > 0 } hop ? hop : Evidence(finding, "externalAddress"), StringComparison.Ordinal);
        Assert.Equal(tb.PublicIp, Evidence(finding, "publicAddress"));
        Assert.Contains("global (fixed) IPv4 address", finding.GetProperty("fix").GetProperty("text").GetString(), StringComparison.Ordinal);
        await CleanRouterAsync(tb);
    }

    [Fact]
    public async Task A_pc_with_a_public_address_has_no_router_to_open_only_its_firewall()
    {
        TestbedRequirements.SkipUnlessAvailable();
        await using var tb = await Testbed.UpAsync("public-host", PortDoctorRun.CheckerCommand);
        using var pd = new PortDoctorRun(tb);
        await tb.StartHttpServerAsync(Host.Pc, "0.0.0.0", 8080);

        var report = await DiagnoseAsync(pd, "8080", "--checker", pd.Checker);

        Assert.Equal(JsonValueKind.Null, report.GetProperty("rootCause").ValueKind);
        Assert.Contains("no router in front of it", Finding(report, "public-host").GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("id").GetString() == "no-gateway");
    }

    [Fact]
    public async Task A_mapped_port_with_nothing_listening_says_start_the_program()
    {
        TestbedRequirements.SkipUnlessAvailable();
        await using var tb = await Testbed.UpAsync("home", PortDoctorRun.CheckerCommand);
        using var pd = new PortDoctorRun(tb);
        Assert.Equal(0, (await pd.RunAsync("open", "8080", "--checker", pd.Checker)).ExitCode);

        var report = await DiagnoseAsync(pd, "8080", "--checker", pd.Checker);

        Assert.Equal("nothing-listening", report.GetProperty("rootCause").GetString());
        Assert.Equal("true", Evidence(Finding(report, "reachable"), "temporaryResponder"));
        Assert.Equal(0, (await pd.RunAsync("close", "8080")).ExitCode);
        Assert.Empty(await tb.RouterMappingRulesAsync());
    }

    [Fact]
    public async Task A_published_url_with_another_port_is_a_url_mismatch()
    {
        TestbedRequirements.SkipUnlessAvailable();
        await using var tb = await Testbed.UpAsync("home", PortDoctorRun.CheckerCommand);
        using var pd = new PortDoctorRun(tb);
        await tb.StartHttpServerAsync(Host.Pc, "0.0.0.0", 8080);
        Assert.Equal(0, (await pd.RunAsync("open", "8080", "--checker", pd.Checker)).ExitCode);

        var report = await DiagnoseAsync(pd, "8080", "--checker", pd.Checker, "--url", $"http://{tb.PublicIp}:9090/live");

        Assert.Equal("url-mismatch", report.GetProperty("rootCause").GetString());
        var finding = Finding(report, "url-mismatch");
        Assert.Equal("9090", Evidence(finding, "urlPort"));
        var matching = await DiagnoseAsync(pd, "8080", "--checker", pd.Checker, "--url", $"http://{tb.PublicIp}:8080/live");
        Assert.Equal(JsonValueKind.Null, matching.GetProperty("rootCause").ValueKind);
        Assert.Equal(0, (await pd.RunAsync("close", "8080")).ExitCode);
        Assert.Empty(await tb.RouterMappingRulesAsync());
    }

    /// <summary>Removes any mapping a test created with peer tools, so teardown leaves the router clean.</summary>
    private static async Task CleanRouterAsync(Testbed tb)
    {
        foreach (var proto in new[] { "TCP", "UDP" })
        {
            await tb.ExecAsync(Host.Pc, "upnpc", "-d", "8080", proto);
        }
    }

    /// <summary>nft list output without counters, which change with traffic.</summary>
    private static string Normalise(string ruleset) =>
        System.Text.RegularExpressions.Regex.Replace(ruleset, @"counter packets \d+ bytes \d+", "counter");
}
