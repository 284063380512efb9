using System.Text.RegularExpressions;
using System.Xml.Linq;
using PortDoctor.Core.Firewall;
using PortDoctor.Core.Firewall.Firewalld;
using PortDoctor.Core.Firewall.Iptables;
using PortDoctor.Core.Firewall.Nftables;
using PortDoctor.Core.Firewall.Ufw;
using PortDoctor.Core.Firewall.Windows;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Processes;
using PortDoctor.Core.Tests.Firewall;

namespace PortDoctor.Core.Tests.Localization;

/// <summary>
/// Firewall results, findings and gateway names render in Japanese without English prose: every ASCII word left
/// after removing the verbatim arguments (rule text, commands, locations, tool output) is a product, tool or protocol name.
/// </summary>
public partial class FirewallJapaneseTests
{
    private const string NftList = "nft -j list ruleset";
    private const string WindowsName = "Windows Defender Firewall";

    private static readonly HashSet<string> AllowedWords = new(StringComparer.Ordinal)
    {
        "nftables", "iptables", "ufw", "firewalld", "Windows", "Defender", "PowerShell", "PCP", "NAT", "PMP", "UPnP", "IGD",
        "TCP", "UDP", "tcp", "udp", "PortDoctor", "portdoctor", "root", "sudo", "nft", "iptables-nft", "iptables-save", "firewall-cmd", "NAT-PMP",
    };

    // A word with three letters in a row; hyphenated names ("iptables-save", "NAT-PMP") are one word.
    [GeneratedRegex("[A-Za-z][A-Za-z0-9_-]*[A-Za-z]{3}[A-Za-z0-9_-]*|[A-Za-z]{3}[A-Za-z0-9_-]*")]
    private static partial Regex AsciiWord();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    /// <summary>The ASCII words in the Japanese rendering that are neither allowed names nor part of a verbatim argument.</summary>
    private static List<string> EnglishLeftIn(Text text, UiLanguage language = UiLanguage.Japanese)
    {
        string rendered = Localizer.Format(text, language);
        foreach (string verbatim in Leaves(text).Where(l => l.Length > 0).OrderByDescending(l => l.Length))
        {
            rendered = rendered.Replace(verbatim, " ", StringComparison.Ordinal);
        }

        return AsciiWord().Matches(rendered).Select(m => m.Value).Where(w => !AllowedWords.Contains(w)).ToList();
    }

    private static IEnumerable<string> Leaves(Text text) =>
        text.Args.SelectMany(a => a is Text nested ? Leaves(nested) : [(string)a]);

    private static IEnumerable<Text> Nodes(Text text) =>
        [text, .. text.Args.OfType<Text>().SelectMany(Nodes)];

    private static void AssertJapanese(Text text, string what)
    {
        Assert.True(EnglishLeftIn(text) is [], $"{what}: {Localizer.Format(text, UiLanguage.Japanese)} — English: {string.Join(", ", EnglishLeftIn(text))}");
        // An English sentence passed through as an argument would escape the check above.
        Assert.DoesNotContain(Nodes(text), n => n.Key == "Common.Verbatim");
    }

    [Fact]
    public void The_check_finds_English_prose_that_is_not_an_argument()
    {
        var removed = Text.Of("Firewall.Removed", "nftables", "8080/udp", Text.Of("FirewallChange.RemovedFrom", "table inet filter chain input"));
        Assert.Contains("Removed", EnglishLeftIn(removed, UiLanguage.English));
        Assert.Empty(EnglishLeftIn(removed, UiLanguage.Japanese));
    }

    [Fact]
    public void Every_Japanese_firewall_and_gateway_template_is_Japanese_apart_from_names()
    {
        var ja = XDocument.Load(Path.Combine(Root(), "src", "PortDoctor.Core", "Localization", "StringsJa.resx")).Root!.Elements("data")
            .Select(d => (Key: (string)d.Attribute("name")!, Value: (string?)d.Element("value") ?? ""))
            .Where(d => d.Key.StartsWith("Firewall", StringComparison.Ordinal) || d.Key is "Gateway.Pcp" or "Gateway.NatPmp")
            .ToList();
        Assert.Contains(ja, d => d.Key.StartsWith("FirewallChange.", StringComparison.Ordinal));
        var english = ja
            .SelectMany(d => AsciiWord().Matches(Placeholder().Replace(d.Value, " ")).Select(m => (d.Key, Word: m.Value)))
            .Where(w => !AllowedWords.Contains(w.Word) && !TemplateVerbatim.Contains(w.Word))
            .Select(w => $"{w.Key}: {w.Word}")
            .ToList();
        Assert.Empty(english);
    }

    // Words that are themselves commands or options inside a template (not prose): "--no-firewall", "--program".
    private static readonly HashSet<string> TemplateVerbatim = new(StringComparer.Ordinal) { "no-firewall", "interface", "program" };

    public static async Task<List<FirewallChangeResult>> EveryResultAsync()
    {
        var results = new List<FirewallChangeResult>();
        var ct = CancellationToken.None;
        string policyDrop = FirewallFixtures.Read("nftables/policy-drop-accept.json");
        string withOurs = policyDrop.Replace(
            "\"nftables\": [",
            "\"nftables\": [{\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", \"handle\": 31, \"comment\": \"portdoctor:9000/tcp\", \"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": 9000}}, {\"accept\": null}]}},",
            StringComparison.Ordinal);

        // nftables: added (with and without a program), already present, not needed, needs root, failed, removed, not ours, gone, bad locator.
        var added = new FakeCommandRunner().On(NftList, policyDrop)
            .On("nft -j -e -a insert rule inet filter input udp dport 9000 counter accept comment \"portdoctor:9000/udp\"", "{\"nftables\": [{\"insert\": {\"rule\": {\"handle\": 23}}}]}");
        results.Add(await new NftablesFirewall(added, isPrivileged: true).AddAllowRuleAsync(TransportProtocol.Udp, 9000, "/usr/bin/game-server", ct));
        results.Add(await new NftablesFirewall(added, isPrivileged: true).AddAllowRuleAsync(TransportProtocol.Udp, 9000, null, ct));
        var ours = new FakeCommandRunner().On(NftList, withOurs).On("nft delete rule inet filter input handle 31", "");
        var nft = new NftablesFirewall(ours, isPrivileged: true);
        results.Add(await nft.AddAllowRuleAsync(TransportProtocol.Tcp, 9000, null, ct));
        results.Add(await nft.AddAllowRuleAsync(TransportProtocol.Tcp, 8080, null, ct));
        results.Add(await new NftablesFirewall(ours, isPrivileged: false).AddAllowRuleAsync(TransportProtocol.Udp, 9001, null, ct));
        var handle = new FirewallRuleHandle(FirewallBackendNames.Nftables, TransportProtocol.Tcp, 9000, "inet filter input 31");
        results.Add(await nft.RemoveRuleAsync(handle, ct));
        results.Add(await nft.RemoveRuleAsync(handle with { Locator = "inet filter input 4" }, ct));
        results.Add(await nft.RemoveRuleAsync(handle with { Locator = "inet filter input 99" }, ct));
        results.Add(await nft.RemoveRuleAsync(handle with { Locator = "inet filter input", Port = 9999 }, ct));
        results.Add(await nft.RemoveRuleAsync(handle with { Locator = "bridge filter input 3" }, ct));
        var denied = new FakeCommandRunner().On(NftList, CommandResult.Exit(1, "", "netlink: Error: cache initialization failed: Operation not permitted\n"));
        results.Add(await new NftablesFirewall(denied, isPrivileged: false).AddAllowRuleAsync(TransportProtocol.Tcp, 9000, null, ct));
        results.Add(await new NftablesFirewall(new FakeCommandRunner(), isPrivileged: true).RemoveRuleAsync(handle, ct));

        // ufw and firewalld: added, removed, gone.
        var ufw = new FakeCommandRunner().On("ufw status verbose", FirewallFixtures.Read("ufw/active-with-rules.txt"))
            .On("ufw app info OpenSSH", "Profile: OpenSSH\nTitle: Secure shell server\n\nPort:\n  22/tcp\n")
            .On("ufw allow 9000/tcp comment portdoctor:9000/tcp", "Rule added\n")
            .On("ufw delete allow 8080/tcp", "Rule deleted\n");
        results.Add(await new UfwFirewall(ufw, isPrivileged: true).AddAllowRuleAsync(TransportProtocol.Tcp, 9000, "/opt/srv", ct));
        results.Add(await new UfwFirewall(ufw, isPrivileged: true).RemoveRuleAsync(new FirewallRuleHandle(FirewallBackendNames.Ufw, TransportProtocol.Tcp, 8080, "8080/tcp"), ct));
        results.Add(await new UfwFirewall(ufw, isPrivileged: true).RemoveRuleAsync(new FirewallRuleHandle(FirewallBackendNames.Ufw, TransportProtocol.Tcp, 8443, "8443/tcp"), ct));
        var firewalld = new FakeCommandRunner()
            .On("firewall-cmd --list-all", FirewallFixtures.Read("firewalld/list-all-public.txt"))
            .On("firewall-cmd --list-all --zone=public", FirewallFixtures.Read("firewalld/list-all-public.txt"))
            .On("firewall-cmd --info-service=ssh", FirewallFixtures.Read("firewalld/info-service-ssh.txt"))
            .On("firewall-cmd --info-service=dhcpv6-client", FirewallFixtures.Read("firewalld/info-service-dhcpv6-client.txt"))
            .On("firewall-cmd --info-service=cockpit", FirewallFixtures.Read("firewalld/info-service-cockpit.txt"))
            .On("firewall-cmd --zone=public --add-port=9000/udp", "success\n")
            .On("firewall-cmd --zone=public --remove-port=8080/tcp", "success\n");
        var zone = new FirewalldFirewall(firewalld, isPrivileged: true);
        results.Add(await zone.AddAllowRuleAsync(TransportProtocol.Udp, 9000, "/opt/srv", ct));
        results.Add(await zone.AddAllowRuleAsync(TransportProtocol.Tcp, 25, null, ct));
        results.Add(await zone.RemoveRuleAsync(new FirewallRuleHandle(FirewallBackendNames.Firewalld, TransportProtocol.Tcp, 8080, "public"), ct));
        results.Add(await zone.RemoveRuleAsync(new FirewallRuleHandle(FirewallBackendNames.Firewalld, TransportProtocol.Tcp, 8081, "public"), ct));
        results.Add(await zone.RemoveRuleAsync(new FirewallRuleHandle(FirewallBackendNames.Firewalld, TransportProtocol.Tcp, 8081, "pub lic"), ct));

        // Windows: every answer of the add and remove scripts, and not elevated.
        foreach (string answer in new[] { "added", "present", "foreign", "what?" })
        {
            results.Add(await new WindowsDefenderFirewall(new Answering(answer), isPrivileged: true).AddAllowRuleAsync(TransportProtocol.Tcp, 8080, null, ct));
        }

        foreach (string answer in new[] { "removed", "gone", "foreign", "what?" })
        {
            results.Add(await new WindowsDefenderFirewall(new Answering(answer), isPrivileged: true)
                .RemoveRuleAsync(new FirewallRuleHandle(FirewallBackendNames.WindowsDefender, TransportProtocol.Tcp, 8080, "PortDoctor-8080-TCP"), ct));
        }

        results.Add(await new WindowsDefenderFirewall(new Answering("added"), isPrivileged: false).AddAllowRuleAsync(TransportProtocol.Tcp, 8080, null, ct));
        results.Add(await new WindowsDefenderFirewall(new Answering("added"), isPrivileged: true).AddAllowRuleAsync(TransportProtocol.Tcp, 8080, "C:\\a\u0007.exe", ct));
        results.Add(await new WindowsDefenderFirewall(new Answering("added"), isPrivileged: true)
            .RemoveRuleAsync(new FirewallRuleHandle(FirewallBackendNames.WindowsDefender, TransportProtocol.Tcp, 8080, "Other-rule"), ct));
        results.Add(await new WindowsDefenderFirewall(new Answering(null), isPrivileged: true).AddAllowRuleAsync(TransportProtocol.Tcp, 8080, null, ct));
        return results;
    }

    [Fact]
    public async Task Every_firewall_change_status_renders_in_Japanese_without_English()
    {
        var results = await EveryResultAsync();
        Assert.Equal(Enum.GetValues<FirewallChangeStatus>().ToHashSet(), results.Select(r => r.Status).ToHashSet());
        foreach (var result in results)
        {
            AssertJapanese(result.Message, result.Status.ToString());
            AssertJapanese(Outer(result), result.Status + " in its sentence");
        }
    }

    [Fact]
    public async Task The_outer_sentence_and_the_backend_detail_do_not_say_the_same_thing()
    {
        foreach (var result in await EveryResultAsync())
        {
            string english = Localizer.Format(Outer(result), UiLanguage.English);
            foreach (string phrase in new[] { "Removed", "Added", "PortDoctor's host firewall rule" })
            {
                Assert.True(Regex.Count(english, Regex.Escape(phrase)) <= 1, english);
            }
        }
    }

    [Fact]
    public async Task Every_firewall_finding_renders_in_Japanese_without_English()
    {
        var findings = new List<FirewallFinding>();
        foreach (string fixture in new[] { "inspect-en", "inspect-ja", "inspect-en-block-all", "inspect-en-two-networks" })
        {
            Assert.True(WindowsFirewallParser.TryRead(FirewallFixtures.Read($"windows/{fixture}.json"), out var snapshot, out _));
            findings.AddRange(WindowsFirewallEvaluator.Evaluate(snapshot!, new InboundQuery(TransportProtocol.Udp, 27015, @"C:\Games\server.exe"), p => p).Findings);
            findings.AddRange(WindowsFirewallEvaluator.Evaluate(snapshot!, new InboundQuery(TransportProtocol.Tcp, 8080), p => p).Findings);
        }

        // Every profile off: Windows Defender Firewall is not in charge.
        Assert.True(WindowsFirewallParser.TryRead(FirewallFixtures.Read("windows/inspect-en.json").Replace("\"Enabled\":1", "\"Enabled\":0", StringComparison.Ordinal), out var off, out _));
        findings.AddRange(WindowsFirewallEvaluator.Evaluate(off!, new InboundQuery(TransportProtocol.Tcp, 8080), p => p).Findings);

        var ct = CancellationToken.None;
        var states = new List<FirewallState>
        {
            await new NftablesFirewall(new FakeCommandRunner().On(NftList, FirewallFixtures.Read("nftables/policy-drop-accept.json")
                .Replace("\"nftables\": [", "\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"filter\", \"handle\": 90}},", StringComparison.Ordinal)), true).InspectAsync(ct),
            await new NftablesFirewall(new FakeCommandRunner(), true).InspectAsync(ct),
            await new IptablesFirewall(new FakeCommandRunner().On("iptables-save -t filter", FirewallFixtures.Read("iptables/iptables-legacy.txt")), true).InspectAsync(ct),
            await new WindowsDefenderFirewall(new Answering(FirewallFixtures.Read("windows/inspect-ja.json")), true).InspectAsync(ct),
        };
        findings.AddRange(states.SelectMany(s => s.Findings));

        string[] codes = [FirewallFindingCodes.BlockAllIncoming, FirewallFindingCodes.ProfileDisabled, FirewallFindingCodes.ThirdPartyFirewall, FirewallFindingCodes.ToolFailed];
        Assert.All(codes, c => Assert.Contains(findings, f => f.Code == c));
        foreach (var finding in findings)
        {
            AssertJapanese(finding.Message, finding.Code);
        }
    }

    [Fact]
    public async Task A_verdict_the_tool_could_not_give_says_why_in_Japanese()
    {
        var denied = new FakeCommandRunner().On(NftList, CommandResult.Exit(1, "", "netlink: Error: cache initialization failed: Operation not permitted\n"));
        var verdict = await new NftablesFirewall(denied, isPrivileged: false).EvaluateInboundAsync(TransportProtocol.Tcp, 80, null, CancellationToken.None);
        Assert.Equal(FirewallDecision.Unknown, verdict.Decision);
        AssertJapanese(Text.Of("Firewall.Unknown", verdict.Backend, "80/tcp", verdict.Reason), "unknown verdict");
        Assert.Contains("sudo を付けて root 権限で", Localizer.Format(verdict.Reason!, UiLanguage.Japanese), StringComparison.Ordinal);
        var missing = await new NftablesFirewall(new FakeCommandRunner(), isPrivileged: true).EvaluateInboundAsync(TransportProtocol.Tcp, 80, null, CancellationToken.None);
        AssertJapanese(missing.Reason!, "missing tool");
    }

    [Fact]
    public async Task Rules_PortDoctor_cannot_evaluate_say_why_in_Japanese()
    {
        var reasons = new List<Text>();
        foreach (string fixture in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Firewall", "nftables"), "*.json"))
        {
            var runner = new FakeCommandRunner().On(NftList, File.ReadAllText(fixture));
            foreach (int port in new[] { 22, 80, 443, 8080, 9000 })
            {
                var verdict = await new NftablesFirewall(runner, isPrivileged: true).EvaluateInboundAsync(TransportProtocol.Tcp, port, null, CancellationToken.None);
                if (verdict.Reason is { } reason)
                {
                    reasons.Add(reason);
                }
            }
        }

        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => AssertJapanese(r, r.Key));
    }

    [Fact]
    public void Gateway_descriptions_of_PCP_and_NAT_PMP_are_Japanese_and_UPnP_is_the_router_own()
    {
        Assert.Equal("PCP サーバー 192.168.153.1", Localizer.Format(Text.Of("Gateway.Pcp", "192.168.153.1"), UiLanguage.Japanese));
        Assert.Equal("PCP server 192.168.153.1", Localizer.Format(Text.Of("Gateway.Pcp", "192.168.153.1"), UiLanguage.English));
        Assert.Equal("NAT-PMP ゲートウェイ 192.168.153.1", Localizer.Format(Text.Of("Gateway.NatPmp", "192.168.153.1"), UiLanguage.Japanese));
        string found = Localizer.Format(Text.Of("Gateway.Found", Text.Of("Gateway.Pcp", "192.168.153.1"), "PCP", "203.0.113.7"), UiLanguage.Japanese);
        Assert.Equal("ルーターが見つかりました：PCP サーバー 192.168.153.1（PCP）。外側（WAN）のアドレスは 203.0.113.7 です。", found);
    }

    private static Text Outer(FirewallChangeResult r) => r.Status switch
    {
        FirewallChangeStatus.Added => Text.Of("Firewall.Added", "nftables", "9000/udp", "table inet filter chain input: policy drop", r.Message),
        FirewallChangeStatus.AlreadyPresent or FirewallChangeStatus.NotNeeded => Text.Of("Firewall.AlreadyAdmits", "nftables", "9000/udp", r.Message),
        FirewallChangeStatus.NeedsPrivilege => Text.Of("Firewall.NeedsPrivilege", "nftables", "9000/udp", (object?)r.CommandForAdministrator ?? r.Message),
        FirewallChangeStatus.Removed or FirewallChangeStatus.AlreadyGone => Text.Of("Firewall.Removed", "nftables", "9000/udp", r.Message),
        _ => Text.Of("Firewall.RemoveFailed", "nftables", "9000/udp", r.Message),
    };

    /// <summary>powershell.exe that prints one answer, or fails when the answer is null.</summary>
    private sealed class Answering(string? answer) : ICommandRunner
    {
        public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(answer is null ? CommandResult.Exit(1, "", "New-NetFirewallRule : Access is denied.") : CommandResult.Exit(0, answer + "\r\n"));
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PortDoctor.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("PortDoctor.slnx not found above " + AppContext.BaseDirectory);
    }
}
