using PortDoctor.Core.Firewall;
using PortDoctor.Core.Firewall.Firewalld;
using PortDoctor.Core.Firewall.Iptables;
using PortDoctor.Core.Firewall.Nftables;
using PortDoctor.Core.Firewall.Ufw;
using PortDoctor.Core.Firewall.Windows;
using PortDoctor.Core.Journal;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Tests.Firewall;

public class FirewallBackendRegistryTests
{
    private static readonly FirewallBackendRegistry Registry = FirewallBackendRegistry.Default;

    public static TheoryData<string> RegisteredNames() => [.. Registry.Names];

    public static TheoryData<string, string> EverySpelling()
    {
        var data = new TheoryData<string, string>();
        foreach (var backend in Registry.All)
        {
            foreach (string spelling in backend.Spellings)
            {
                data.Add(spelling, backend.Name);
            }
        }

        return data;
    }

    // The journal on disk stores these exact strings as JournalChange.Method: changing one strands old rules.
    [Theory]
    [InlineData("nftables", typeof(NftablesFirewall))]
    [InlineData("iptables", typeof(IptablesFirewall))]
    [InlineData("ufw", typeof(UfwFirewall))]
    [InlineData("firewalld", typeof(FirewalldFirewall))]
    [InlineData("windows", typeof(WindowsDefenderFirewall))]
    public void The_journaled_names_are_stable(string journaledName, Type implementation)
    {
        Assert.True(Registry.TryFind(journaledName, out var backend));
        Assert.Equal(journaledName, backend.Name);
        Assert.IsType(implementation, backend.Factory(new FakeCommandRunner(), true));
    }

    [Fact]
    public void Exactly_the_known_backends_are_registered() =>
        Assert.Equal(["firewalld", "ufw", "nftables", "iptables", "windows"], Registry.Names);

    [Theory]
    [InlineData("nft", "nftables")]
    [InlineData("iptables-nft", "iptables")]
    [InlineData("iptables-legacy", "iptables")]
    [InlineData("firewall-cmd", "firewalld")]
    [InlineData("defender", "windows")]
    [InlineData("windows-defender", "windows")]
    [InlineData("wf", "windows")]
    public void The_aliases_people_type_are_accepted(string alias, string name)
    {
        Assert.True(Registry.TryFind(alias, out var backend));
        Assert.Equal(name, backend.Name);
    }

    [Theory]
    [MemberData(nameof(EverySpelling))]
    public void Every_spelling_round_trips_in_any_case_and_with_spaces(string spelling, string name)
    {
        Assert.True(Registry.TryFind(spelling, out var exact));
        Assert.True(Registry.TryFind("  " + spelling.ToUpperInvariant() + " ", out var shouted));
        Assert.Same(exact, shouted);
        Assert.Equal(name, exact.Name);
        Assert.Same(exact, Registry.Find(exact.Name));
        Assert.True(FirewallBackendNames.TryNormalize(spelling, out string normalized));
        Assert.Equal(name, normalized);
    }

    [Theory]
    [MemberData(nameof(RegisteredNames))]
    public void Every_backend_has_a_factory_that_builds_that_backend(string name)
    {
        var backend = Registry.Find(name);
        Assert.NotNull(backend.Factory);
        var firewall = backend.Factory(new FakeCommandRunner(), false);
        Assert.Equal(name, firewall.Name);
        Assert.Equal(name, new FirewallDetector(new FakeCommandRunner(), false, backend.Os == FirewallOs.Windows).Create(name).Name);
    }

    [Fact]
    public void A_backend_without_a_factory_cannot_be_registered()
    {
        var entry = new FirewallBackend("pf", [], FirewallOs.Linux, 0, null!);
        var ex = Assert.Throws<ArgumentException>(() => new FirewallBackendRegistry([entry]));
        Assert.Contains("factory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spellings_and_ranks_cannot_be_registered_twice()
    {
        FirewallFactory factory = static (runner, privileged) => new UfwFirewall(runner, privileged);
        Assert.Throws<ArgumentException>(() => new FirewallBackendRegistry(
            [new FirewallBackend("a", ["x"], FirewallOs.Linux, 0, factory), new FirewallBackend("b", ["X"], FirewallOs.Linux, 1, factory)]));
        Assert.Throws<ArgumentException>(() => new FirewallBackendRegistry(
            [new FirewallBackend("a", [], FirewallOs.Linux, 0, factory), new FirewallBackend("b", [], FirewallOs.Linux, 0, factory)]));
        Assert.Throws<ArgumentException>(() => new FirewallBackendRegistry([new FirewallBackend("Upper", [], FirewallOs.Linux, 0, factory)]));
    }

    [Fact]
    public void Detection_order_puts_front_ends_before_the_layers_they_drive()
    {
        Assert.Equal(["firewalld", "ufw", "nftables", "iptables"], Registry.DetectionOrder(FirewallOs.Linux).Select(b => b.Name));
        Assert.Equal(["windows"], Registry.DetectionOrder(FirewallOs.Windows).Select(b => b.Name));
        Assert.Equal(Registry.All.Count, Registry.DetectionOrder(FirewallOs.Linux).Count + Registry.DetectionOrder(FirewallOs.Windows).Count);
    }

    [Fact]
    public async Task The_detector_follows_the_registry_order_not_a_list_of_its_own()
    {
        var log = new List<string>();
        FirewallFactory Scripted(string name, bool? active) => (_, _) => new ScriptedFirewall(name, active, log);
        var registry = new FirewallBackendRegistry(
        [
            new FirewallBackend("third", [], FirewallOs.Linux, 30, Scripted("third", true)),
            new FirewallBackend("first", [], FirewallOs.Linux, 10, Scripted("first", false)),
            new FirewallBackend("second", [], FirewallOs.Linux, 20, Scripted("second", null)),
            new FirewallBackend("elsewhere", [], FirewallOs.Windows, 0, Scripted("elsewhere", true)),
        ]);

        var detection = await new FirewallDetector(new FakeCommandRunner(), true, isWindows: false, registry).DetectAsync(null, CancellationToken.None);

        Assert.Equal(["first", "second", "third"], log);
        Assert.Equal("third", detection.Firewall!.Name);
    }

    [Fact]
    public async Task Only_a_backend_marked_in_force_when_unreadable_wins_with_an_unknown_state()
    {
        var log = new List<string>();
        var registry = new FirewallBackendRegistry(
        [
            new FirewallBackend("plain", [], FirewallOs.Windows, 0, (_, _) => new ScriptedFirewall("plain", null, log)),
            new FirewallBackend("builtin", [], FirewallOs.Windows, 1, (_, _) => new ScriptedFirewall("builtin", null, log), InForceWhenUnreadable: true),
        ]);

        var detection = await new FirewallDetector(new FakeCommandRunner(), true, isWindows: true, registry).DetectAsync(null, CancellationToken.None);

        Assert.Equal("builtin", detection.Firewall!.Name);
        Assert.Equal(["plain", "builtin"], log);
    }

    [Fact]
    public async Task An_unknown_forced_name_is_a_typed_localized_error_never_a_default()
    {
        var detector = new FirewallDetector(new FakeCommandRunner(), true, isWindows: true);
        var ex = await Assert.ThrowsAsync<UnknownFirewallBackendException>(() => detector.DetectAsync("pf", CancellationToken.None));
        Assert.Equal("pf", ex.Name);
        Assert.Equal("Firewall.UnknownBackend", ex.Text.Key);
        Assert.Contains("nftables", Localizer.Format(ex.Text, UiLanguage.English), StringComparison.Ordinal);
        Assert.Contains("「pf」", Localizer.Format(ex.Text, UiLanguage.Japanese), StringComparison.Ordinal);
        Assert.Throws<UnknownFirewallBackendException>(() => detector.Create("pf"));
        Assert.Throws<UnknownFirewallBackendException>(() => Registry.Find(null));
        Assert.False(FirewallBackendNames.TryNormalize("pf", out string name));
        Assert.Empty(name);
    }

    [Theory]
    [InlineData("pf")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("windowsfirewall")]
    public void A_journal_entry_naming_an_unknown_backend_is_an_error(string? method)
    {
        var change = new JournalChange { Kind = "firewall", Method = method!, Protocol = "tcp", ExternalPort = 8080, InternalPort = 8080, RuleHandle = "x" };

        Assert.False(FirewallRuleHandle.TryRead(change, out var handle, out var problem));

        Assert.Null(handle);
        Assert.Equal(FirewallJournalProblemCode.UnknownBackend, problem.Code);
        Assert.Equal("Firewall.Journal.UnknownBackend", problem.Text.Key);
        Assert.Contains("windows", Localizer.Format(problem.Text, UiLanguage.Japanese), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EverySpelling))]
    public void A_journal_entry_reads_back_with_the_canonical_name(string spelling, string name)
    {
        var change = new FirewallRuleHandle(spelling, TransportProtocol.Udp, 27015, "loc").ToJournalChange();
        Assert.True(FirewallRuleHandle.TryRead(change, out var handle, out _));
        Assert.Equal(name, handle.Backend);
    }

    [Fact]
    public void Other_journal_problems_are_typed_too()
    {
        var good = new FirewallRuleHandle(FirewallBackendNames.Ufw, TransportProtocol.Tcp, 80, "80/tcp").ToJournalChange();
        Assert.False(FirewallRuleHandle.TryRead(good with { Kind = "mapping" }, out _, out var p1));
        Assert.Equal(FirewallJournalProblemCode.NotAFirewallRule, p1.Code);
        Assert.False(FirewallRuleHandle.TryRead(good with { Protocol = "sctp" }, out _, out var p2));
        Assert.Equal(FirewallJournalProblemCode.UnknownProtocol, p2.Code);
        Assert.False(FirewallRuleHandle.TryRead(good with { ExternalPort = 70000 }, out _, out var p3));
        Assert.Equal(FirewallJournalProblemCode.PortOutOfRange, p3.Code);
    }

    private sealed class ScriptedFirewall(string name, bool? active, List<string> log) : IHostFirewall
    {
        public string Name => name;

        public Task<FirewallState> InspectAsync(CancellationToken cancellationToken)
        {
            log.Add(name);
            return Task.FromResult(new FirewallState(name, active, name, []));
        }

        public Task<FirewallVerdict> EvaluateInboundAsync(InboundQuery query, CancellationToken cancellationToken) =>
            Task.FromResult(FirewallVerdict.Unknown(name, Text.Of("FirewallVerdict.CannotEvaluate")));

        public Task<FirewallChangeResult> AddAllowRuleAsync(InboundQuery query, CancellationToken cancellationToken) =>
            Task.FromResult(new FirewallChangeResult(FirewallChangeStatus.Failed, Text.Of("Common.Verbatim", "scripted")));

        public Task<FirewallChangeResult> RemoveRuleAsync(FirewallRuleHandle handle, CancellationToken cancellationToken) =>
            Task.FromResult(new FirewallChangeResult(FirewallChangeStatus.Failed, Text.Of("Common.Verbatim", "scripted")));
    }
}
