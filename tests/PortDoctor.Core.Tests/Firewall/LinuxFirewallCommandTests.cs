using PortDoctor.Core.Firewall;
using PortDoctor.Core.Firewall.Firewalld;
using PortDoctor.Core.Firewall.Iptables;
using PortDoctor.Core.Firewall.Nftables;
using PortDoctor.Core.Firewall.Ufw;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Tests.Firewall;

public class NftablesCommandTests
{
    private const string List = "nft -j list ruleset";

    private static string WithOurRule(string fixture, long handle, string comment) =>
        FirewallFixtures.Read($"nftables/{fixture}.json").Replace(
            "\"nftables\": [",
            $"\"nftables\": [{{\"rule\": {{\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", \"handle\": {handle}, \"comment\": \"{comment}\", \"expr\": [{{\"match\": {{\"op\": \"==\", \"left\": {{\"payload\": {{\"protocol\": \"tcp\", \"field\": \"dport\"}}}}, \"right\": 9000}}}}, {{\"accept\": null}}]}}}},",
            StringComparison.Ordinal);

    [Fact]
    public async Task Add_inserts_a_tagged_rule_at_the_top_of_the_blocking_chain_and_returns_its_handle()
    {
        var runner = new FakeCommandRunner()
            .On(List, FirewallFixtures.Read("nftables/policy-drop-accept.json"))
            .On("nft -j -e -a insert rule inet filter input tcp dport 9000 counter accept comment \"portdoctor:9000/tcp\"",
                "{\"nftables\": [{\"insert\": {\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", \"handle\": 23, \"comment\": \"portdoctor:9000/tcp\", \"expr\": []}}}]}");
        var result = await new NftablesFirewall(runner, isPrivileged: true).AddAllowRuleAsync(TransportProtocol.Tcp, 9000, null, CancellationToken.None);

        Assert.Equal(FirewallChangeStatus.Added, result.Status);
        Assert.Equal(new FirewallRuleHandle(FirewallBackendNames.Nftables, TransportProtocol.Tcp, 9000, "inet filter input 23"), result.Handle);
        var insert = runner.Calls[^1];
        Assert.Equal("nft", insert.FileName);
        Assert.Equal(["-j", "-e", "-a", "insert", "rule", "inet", "filter", "input", "tcp", "dport", "9000", "counter", "accept", "comment", "\"portdoctor:9000/tcp\""], insert.Arguments);
        Assert.Equal("C", insert.Environment!["LC_ALL"]);
    }

    [Fact]
    public async Task Add_goes_into_the_chain_that_drops_when_several_base_chains_exist()
    {
        var runner = new FakeCommandRunner()
            .On(List, FirewallFixtures.Read("nftables/two-base-chains.json"))
            .On("nft -j -e -a insert rule ip early input tcp dport 8443 counter accept comment \"portdoctor:8443/tcp\"", "{\"nftables\": [{\"insert\": {\"rule\": {\"handle\": 7}}}]}");
        var result = await new NftablesFirewall(runner, isPrivileged: true).AddAllowRuleAsync(TransportProtocol.Tcp, 8443, null, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.Added, result.Status);
        Assert.Equal("ip early input 7", result.Handle!.Locator);
    }

    [Fact]
    public async Task Add_is_idempotent_and_not_needed_when_already_allowed()
    {
        var ours = new FakeCommandRunner().On(List, WithOurRule("policy-drop-accept", 31, "portdoctor:9000/tcp"));
        var again = await new NftablesFirewall(ours, isPrivileged: true).AddAllowRuleAsync(TransportProtocol.Tcp, 9000, null, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.AlreadyPresent, again.Status);
        Assert.Equal("inet filter input 31", again.Handle!.Locator);
        Assert.Single(ours.Calls);

        var allowed = new FakeCommandRunner().On(List, FirewallFixtures.Read("nftables/policy-drop-accept.json"));
        var notNeeded = await new NftablesFirewall(allowed, isPrivileged: true).AddAllowRuleAsync(TransportProtocol.Tcp, 8080, null, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.NotNeeded, notNeeded.Status);
        Assert.Null(notNeeded.Handle);
        Assert.Single(allowed.Calls);
    }

    [Fact]
    public async Task Without_root_the_exact_command_is_returned()
    {
        var runner = new FakeCommandRunner().On(List, FirewallFixtures.Read("nftables/policy-drop-accept.json"));
        var result = await new NftablesFirewall(runner, isPrivileged: false).AddAllowRuleAsync(TransportProtocol.Udp, 9000, null, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.NeedsPrivilege, result.Status);
        Assert.Equal("sudo nft insert rule inet filter input udp dport 9000 counter accept comment '\"portdoctor:9000/udp\"'", result.CommandForAdministrator);
        Assert.Single(runner.Calls);
    }

    [Fact]
    public async Task Remove_deletes_by_handle_only_when_the_rule_carries_our_tag()
    {
        var runner = new FakeCommandRunner()
            .On(List, WithOurRule("policy-drop-accept", 31, "portdoctor:9000/tcp"))
            .On("nft delete rule inet filter input handle 31", "");
        var firewall = new NftablesFirewall(runner, isPrivileged: true);
        var handle = new FirewallRuleHandle(FirewallBackendNames.Nftables, TransportProtocol.Tcp, 9000, "inet filter input 31");
        var removed = await firewall.RemoveRuleAsync(handle, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.Removed, removed.Status);
        Assert.Equal(["delete", "rule", "inet", "filter", "input", "handle", "31"], runner.Calls[^1].Arguments);

        var notOurs = await firewall.RemoveRuleAsync(handle with { Locator = "inet filter input 4" }, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.NotOurs, notOurs.Status);
        var gone = await firewall.RemoveRuleAsync(handle with { Locator = "inet filter input 99" }, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.AlreadyGone, gone.Status);
        Assert.Single(runner.Calls, c => c.Arguments.Contains("delete"));
    }

    [Fact]
    public async Task Remove_without_a_handle_finds_rules_by_tag_for_crash_recovery()
    {
        var runner = new FakeCommandRunner()
            .On(List, WithOurRule("policy-drop-accept", 31, "portdoctor:9000/tcp"))
            .On("nft delete rule inet filter input handle 31", "");
        var result = await new NftablesFirewall(runner, isPrivileged: true)
            .RemoveRuleAsync(new FirewallRuleHandle(FirewallBackendNames.Nftables, TransportProtocol.Tcp, 9000, "inet filter input"), CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.Removed, result.Status);
        Assert.Equal("nft delete rule inet filter input handle 31", FakeCommandRunner.Key(runner.Calls[^1]));
    }

    [Theory]
    [InlineData("inet filter")]
    [InlineData("bridge filter input 3")]
    [InlineData("inet filter input; flush ruleset")]
    [InlineData("inet filter input x")]
    public async Task A_malformed_locator_removes_nothing(string locator)
    {
        var runner = new FakeCommandRunner().On(List, FirewallFixtures.Read("nftables/policy-drop-accept.json"));
        var result = await new NftablesFirewall(runner, isPrivileged: true)
            .RemoveRuleAsync(new FirewallRuleHandle(FirewallBackendNames.Nftables, TransportProtocol.Tcp, 9000, locator), CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.Failed, result.Status);
        Assert.DoesNotContain(runner.Calls, c => c.Arguments.Contains("delete"));
    }

    [Fact]
    public async Task Missing_nft_gives_unknown_naming_the_tool()
    {
        var verdict = await new NftablesFirewall(new FakeCommandRunner(), isPrivileged: true).EvaluateInboundAsync(TransportProtocol.Tcp, 80, null, CancellationToken.None);
        Assert.Equal(FirewallDecision.Unknown, verdict.Decision);
        Assert.Contains("'nft' is not installed", verdict.Reason?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Permission_errors_say_to_run_as_root()
    {
        var runner = new FakeCommandRunner().On(List, CommandResult.Exit(1, "", "netlink: Error: cache initialization failed: Operation not permitted\n"));
        var verdict = await new NftablesFirewall(runner, isPrivileged: false).EvaluateInboundAsync(TransportProtocol.Tcp, 80, null, CancellationToken.None);
        Assert.Equal(FirewallDecision.Unknown, verdict.Decision);
        Assert.Contains("sudo", verdict.Reason?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Echoed_handle_is_read_after_a_text_header()
    {
        Assert.True(NftablesFirewall.TryReadEchoedHandle("# new generation 3\n{\"nftables\": [{\"insert\": {\"rule\": {\"handle\": 12}}}]}", out long handle));
        Assert.Equal(12, handle);
        Assert.False(NftablesFirewall.TryReadEchoedHandle("", out _));
        Assert.False(NftablesFirewall.TryReadEchoedHandle("{broken", out _));
    }
}

public class IptablesCommandTests
{
    private const string Save = "iptables-save -t filter";

    [Fact]
    public async Task Add_inserts_at_position_one_with_our_comment()
    {
        var runner = new FakeCommandRunner()
            .On(Save, FirewallFixtures.Read("iptables/iptables-nft.txt"))
            .On("iptables -I INPUT 1 -p tcp --dport 9000 -m comment --comment portdoctor:9000/tcp -j ACCEPT", "");
        var result = await new IptablesFirewall(runner, isPrivileged: true).AddAllowRuleAsync(TransportProtocol.Tcp, 9000, null, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.Added, result.Status);
        Assert.Equal(["-I", "INPUT", "1", "-p", "tcp", "--dport", "9000", "-m", "comment", "--comment", "portdoctor:9000/tcp", "-j", "ACCEPT"], runner.Calls[^1].Arguments);
        Assert.Equal("INPUT", result.Handle!.Locator);
    }

    [Fact]
    public async Task Add_is_idempotent_and_remove_deletes_the_same_spec()
    {
        var runner = new FakeCommandRunner()
            .On(Save, FirewallFixtures.Read("iptables/iptables-legacy.txt"))
            .On("iptables -D INPUT -p tcp --dport 9443 -m comment --comment portdoctor:9443/tcp -j ACCEPT", "");
        var firewall = new IptablesFirewall(runner, isPrivileged: true);
        var again = await firewall.AddAllowRuleAsync(TransportProtocol.Tcp, 9443, null, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.AlreadyPresent, again.Status);
        var removed = await firewall.RemoveRuleAsync(again.Handle!, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.Removed, removed.Status);
        Assert.Equal(["-D", "INPUT", "-p", "tcp", "--dport", "9443", "-m", "comment", "--comment", "portdoctor:9443/tcp", "-j", "ACCEPT"], runner.Calls[^1].Arguments);

        var gone = await firewall.RemoveRuleAsync(again.Handle! with { Port = 9444 }, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.AlreadyGone, gone.Status);
    }

    [Fact]
    public async Task Without_root_the_exact_command_is_returned()
    {
        var runner = new FakeCommandRunner().On(Save, FirewallFixtures.Read("iptables/iptables-nft.txt"));
        var result = await new IptablesFirewall(runner, isPrivileged: false).AddAllowRuleAsync(TransportProtocol.Udp, 9000, null, CancellationToken.None);
        Assert.Equal("sudo iptables -I INPUT 1 -p udp --dport 9000 -m comment --comment portdoctor:9000/udp -j ACCEPT", result.CommandForAdministrator);
    }
}

public class UfwCommandTests
{
    private const string Status = "ufw status verbose";
    private const string AppInfo = "ufw app info OpenSSH";
    private const string OpenSshInfo = "Profile: OpenSSH\nTitle: Secure shell server, an rshd replacement\n\nPort:\n  22/tcp\n";

    [Fact]
    public async Task Add_appends_an_allow_with_our_comment_when_only_the_default_blocks()
    {
        var runner = new FakeCommandRunner()
            .On(Status, FirewallFixtures.Read("ufw/active-with-rules.txt"))
            .On(AppInfo, OpenSshInfo)
            .On("ufw allow 9000/tcp comment portdoctor:9000/tcp", "Rule added\nRule added (v6)\n");
        var result = await new UfwFirewall(runner, isPrivileged: true).AddAllowRuleAsync(TransportProtocol.Tcp, 9000, null, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.Added, result.Status);
        Assert.Equal(["allow", "9000/tcp", "comment", "portdoctor:9000/tcp"], runner.Calls[^1].Arguments);
        Assert.Equal("9000/tcp", result.Handle!.Locator);
    }

    [Fact]
    public async Task Add_inserts_first_when_a_deny_rule_would_win()
    {
        var runner = new FakeCommandRunner()
            .On(Status, FirewallFixtures.Read("ufw/active-with-rules.txt"))
            .On(AppInfo, OpenSshInfo)
            .On("ufw insert 1 allow 25/tcp comment portdoctor:25/tcp", "Rule inserted\n");
        var result = await new UfwFirewall(runner, isPrivileged: true).AddAllowRuleAsync(TransportProtocol.Tcp, 25, null, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.Added, result.Status);
        Assert.Equal(["insert", "1", "allow", "25/tcp", "comment", "portdoctor:25/tcp"], runner.Calls[^1].Arguments);
    }

    [Fact]
    public async Task Remove_deletes_only_while_the_listed_rule_carries_our_comment()
    {
        var runner = new FakeCommandRunner()
            .On(Status, FirewallFixtures.Read("ufw/active-with-rules.txt"))
            .On("ufw delete allow 8080/tcp", "Rule deleted\nRule deleted (v6)\n");
        var firewall = new UfwFirewall(runner, isPrivileged: true);
        var ours = new FirewallRuleHandle(FirewallBackendNames.Ufw, TransportProtocol.Tcp, 8080, "8080/tcp");
        Assert.Equal(FirewallChangeStatus.Removed, (await firewall.RemoveRuleAsync(ours, CancellationToken.None)).Status);
        Assert.Equal(["delete", "allow", "8080/tcp"], runner.Calls[^1].Arguments);

        // 22/tcp is allowed by the user's own rule, without our comment: never deleted.
        var users = ours with { Port = 22, Locator = "22/tcp" };
        Assert.Equal(FirewallChangeStatus.AlreadyGone, (await firewall.RemoveRuleAsync(users, CancellationToken.None)).Status);
        Assert.Single(runner.Calls, c => c.Arguments.Contains("delete"));
    }

    [Fact]
    public async Task Add_is_idempotent_for_our_rule()
    {
        var runner = new FakeCommandRunner().On(Status, FirewallFixtures.Read("ufw/active-with-rules.txt"));
        var result = await new UfwFirewall(runner, isPrivileged: true).AddAllowRuleAsync(TransportProtocol.Tcp, 8080, null, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.AlreadyPresent, result.Status);
        Assert.Single(runner.Calls);
    }
}

public class FirewalldCommandTests
{
    private static FakeCommandRunner Runner() => new FakeCommandRunner()
        .On("firewall-cmd --state", "running\n")
        .On("firewall-cmd --list-all", FirewallFixtures.Read("firewalld/list-all-public.txt"))
        .On("firewall-cmd --list-all --zone=public", FirewallFixtures.Read("firewalld/list-all-public.txt"))
        .On("firewall-cmd --info-service=ssh", FirewallFixtures.Read("firewalld/info-service-ssh.txt"))
        .On("firewall-cmd --info-service=dhcpv6-client", FirewallFixtures.Read("firewalld/info-service-dhcpv6-client.txt"))
        .On("firewall-cmd --info-service=cockpit", FirewallFixtures.Read("firewalld/info-service-cockpit.txt"))
        .On("firewall-cmd --zone=public --add-port=9000/udp", "success\n")
        .On("firewall-cmd --zone=public --remove-port=8080/tcp", "success\n");

    [Fact]
    public async Task Evaluate_resolves_service_ports_with_info_service()
    {
        var runner = Runner();
        var verdict = await new FirewalldFirewall(runner, isPrivileged: true).EvaluateInboundAsync(TransportProtocol.Tcp, 9090, null, CancellationToken.None);
        Assert.Equal(FirewallDecision.Allowed, verdict.Decision);
        Assert.Equal("services: cockpit (9090/tcp)", verdict.DecidedBy!.Text);
        Assert.Contains("firewall-cmd --info-service=cockpit", runner.CallLines);
    }

    [Fact]
    public async Task Add_opens_a_runtime_port_in_the_zone()
    {
        var runner = Runner();
        var result = await new FirewalldFirewall(runner, isPrivileged: true).AddAllowRuleAsync(TransportProtocol.Udp, 9000, null, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.Added, result.Status);
        Assert.Equal(["--zone=public", "--add-port=9000/udp"], runner.Calls[^1].Arguments);
        Assert.Equal("public", result.Handle!.Locator);
        Assert.Contains("runtime only", result.Message.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_refuses_to_fight_a_deny_rich_rule_and_is_not_needed_when_open()
    {
        var runner = Runner();
        var firewall = new FirewalldFirewall(runner, isPrivileged: true);
        var denied = await firewall.AddAllowRuleAsync(TransportProtocol.Tcp, 25, null, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.Failed, denied.Status);
        Assert.Contains("rich rule", denied.Message.ToString(), StringComparison.Ordinal);
        var open = await firewall.AddAllowRuleAsync(TransportProtocol.Tcp, 8080, null, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.NotNeeded, open.Status);
        Assert.DoesNotContain(runner.Calls, c => c.Arguments.Any(a => a.StartsWith("--add-port", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Remove_closes_the_port_only_while_it_is_listed()
    {
        var runner = Runner();
        var firewall = new FirewalldFirewall(runner, isPrivileged: true);
        var handle = new FirewallRuleHandle(FirewallBackendNames.Firewalld, TransportProtocol.Tcp, 8080, "public");
        Assert.Equal(FirewallChangeStatus.Removed, (await firewall.RemoveRuleAsync(handle, CancellationToken.None)).Status);
        Assert.Equal(["--zone=public", "--remove-port=8080/tcp"], runner.Calls[^1].Arguments);
        Assert.Equal(FirewallChangeStatus.AlreadyGone, (await firewall.RemoveRuleAsync(handle with { Port = 8081 }, CancellationToken.None)).Status);
        Assert.Equal(FirewallChangeStatus.Failed, (await firewall.RemoveRuleAsync(handle with { Locator = "public --panic-on" }, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Inspect_reports_not_running()
    {
        var runner = new FakeCommandRunner().On("firewall-cmd --state", CommandResult.Exit(252, "not running\n"));
        var state = await new FirewalldFirewall(runner, isPrivileged: true).InspectAsync(CancellationToken.None);
        Assert.False(state.IsActive);
    }
}
