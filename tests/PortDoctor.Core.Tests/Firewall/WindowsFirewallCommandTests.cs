using PortDoctor.Core.Firewall;
using PortDoctor.Core.Firewall.Windows;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Tests.Firewall;

public class WindowsFirewallCommandTests
{
    /// <summary>Answers every powershell.exe run by decoding its script and choosing a recorded output.</summary>
    private sealed class PowerShellFake(Func<string, CommandResult> answer) : ICommandRunner
    {
        public List<string> Scripts { get; } = [];

        public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
        {
            Assert.Equal("powershell.exe", request.FileName);
            Assert.Equal(["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand"], request.Arguments.Take(5));
            string script = WindowsFirewallScripts.Decode(request);
            Scripts.Add(script);
            return Task.FromResult(answer(script));
        }
    }

    [Fact]
    public async Task Add_runs_New_NetFirewallRule_with_exactly_our_name_group_port_and_program()
    {
        var fake = new PowerShellFake(_ => CommandResult.Exit(0, "added\r\n"));
        var result = await new WindowsDefenderFirewall(fake, isPrivileged: true)
            .AddAllowRuleAsync(TransportProtocol.Tcp, 8080, @"C:\Program Files\Bob's Encoder\encoder.exe", CancellationToken.None);

        Assert.Equal(FirewallChangeStatus.Added, result.Status);
        Assert.Equal(new FirewallRuleHandle(FirewallBackendNames.WindowsDefender, TransportProtocol.Tcp, 8080, "PortDoctor-8080-TCP"), result.Handle);
        string script = Assert.Single(fake.Scripts);
        Assert.Contains(
            "New-NetFirewallRule -Name 'PortDoctor-8080-TCP' -DisplayName 'PortDoctor 8080/TCP' -Description 'portdoctor:8080/tcp' -Group 'PortDoctor' " +
            "-Direction Inbound -Action Allow -Protocol TCP -LocalPort 8080 -Profile Any -Program 'C:\\Program Files\\Bob''s Encoder\\encoder.exe' | Out-Null",
            script, StringComparison.Ordinal);
        Assert.Contains("[Console]::OutputEncoding = [System.Text.Encoding]::UTF8", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_reports_an_existing_rule_of_ours_and_refuses_a_foreign_one()
    {
        var present = await new WindowsDefenderFirewall(new PowerShellFake(_ => CommandResult.Exit(0, "present\n")), isPrivileged: true)
            .AddAllowRuleAsync(TransportProtocol.Udp, 27015, null, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.AlreadyPresent, present.Status);
        Assert.Equal("PortDoctor-27015-UDP", present.Handle!.Locator);

        var foreign = await new WindowsDefenderFirewall(new PowerShellFake(_ => CommandResult.Exit(0, "foreign\n")), isPrivileged: true)
            .AddAllowRuleAsync(TransportProtocol.Udp, 27015, null, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.Failed, foreign.Status);
        Assert.Null(foreign.Handle);
    }

    [Fact]
    public async Task Not_elevated_returns_the_exact_command_for_an_administrator_PowerShell()
    {
        var fake = new PowerShellFake(_ => throw new InvalidOperationException("must not run"));
        var result = await new WindowsDefenderFirewall(fake, isPrivileged: false).AddAllowRuleAsync(TransportProtocol.Tcp, 8080, null, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.NeedsPrivilege, result.Status);
        Assert.Equal(
            "New-NetFirewallRule -Name 'PortDoctor-8080-TCP' -DisplayName 'PortDoctor 8080/TCP' -Description 'portdoctor:8080/tcp' -Group 'PortDoctor' -Direction Inbound -Action Allow -Protocol TCP -LocalPort 8080 -Profile Any",
            result.CommandForAdministrator);
        Assert.Contains("administrator", result.Message.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_deletes_only_rules_in_our_group()
    {
        var handle = new FirewallRuleHandle(FirewallBackendNames.WindowsDefender, TransportProtocol.Tcp, 8080, "PortDoctor-8080-TCP");
        var fake = new PowerShellFake(_ => CommandResult.Exit(0, "removed\n"));
        var removed = await new WindowsDefenderFirewall(fake, isPrivileged: true).RemoveRuleAsync(handle, CancellationToken.None);
        Assert.Equal(FirewallChangeStatus.Removed, removed.Status);
        Assert.Contains("if ($rule.Group -ne 'PortDoctor') { 'foreign'; exit 0 }", fake.Scripts[0], StringComparison.Ordinal);
        Assert.Contains("Remove-NetFirewallRule -Name 'PortDoctor-8080-TCP'", fake.Scripts[0], StringComparison.Ordinal);

        Assert.Equal(FirewallChangeStatus.AlreadyGone, (await new WindowsDefenderFirewall(new PowerShellFake(_ => CommandResult.Exit(0, "gone\n")), isPrivileged: true).RemoveRuleAsync(handle, CancellationToken.None)).Status);
        Assert.Equal(FirewallChangeStatus.NotOurs, (await new WindowsDefenderFirewall(new PowerShellFake(_ => CommandResult.Exit(0, "foreign\n")), isPrivileged: true).RemoveRuleAsync(handle, CancellationToken.None)).Status);
        var never = new PowerShellFake(_ => throw new InvalidOperationException("must not run"));
        Assert.Equal(FirewallChangeStatus.NotOurs, (await new WindowsDefenderFirewall(never, isPrivileged: true).RemoveRuleAsync(handle with { Locator = "RemoteDesktop-UserMode-In-TCP" }, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Evaluate_and_inspect_read_the_recorded_snapshot()
    {
        var fake = new PowerShellFake(script => script.Contains("Get-NetFirewallProfile", StringComparison.Ordinal)
            ? CommandResult.Exit(0, FirewallFixtures.Read("windows/inspect-en-block-all.json"))
            : CommandResult.Exit(1, "", "unexpected script"));
        var firewall = new WindowsDefenderFirewall(fake, isPrivileged: false, expandPath: p => p);
        var verdict = await firewall.EvaluateInboundAsync(TransportProtocol.Tcp, 8080, null, CancellationToken.None);
        Assert.Equal(FirewallDecision.Blocked, verdict.Decision);
        var state = await firewall.InspectAsync(CancellationToken.None);
        Assert.True(state.IsActive);
        Assert.Contains(state.Findings, f => f.Code == FirewallFindingCodes.BlockAllIncoming);
        Assert.Contains(state.Findings, f => f.Code == FirewallFindingCodes.ThirdPartyFirewall);
        Assert.Contains("Private on (active)", state.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_inspection_script_casts_every_enum_to_a_number()
    {
        foreach (var field in new[] { "Enabled", "DefaultInboundAction", "AllowInboundRules", "NetworkCategory", "Action", "Profile", "productState" })
        {
            Assert.Contains($"{field} = [int]$_.{field}", WindowsFirewallScripts.Inspect, StringComparison.Ordinal);
        }
    }
}
