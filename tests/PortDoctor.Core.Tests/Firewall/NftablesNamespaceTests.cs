using PortDoctor.Core.Firewall;
using PortDoctor.Core.Firewall.Nftables;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Tests.Firewall;

/// <summary>
/// Runs the real nft inside a network namespace this test creates and deletes, never against the host's
/// own ruleset. Needs root and the nft and ip tools; skipped otherwise.
/// </summary>
public class NftablesNamespaceTests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Runs every command as "ip netns exec NAME ..." so that nft sees only the namespace's ruleset.</summary>
    private sealed class NamespaceRunner(string name) : ICommandRunner
    {
        public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken) =>
            ProcessCommandRunner.Instance.RunAsync(request with { FileName = "ip", Arguments = ["netns", "exec", name, request.FileName, .. request.Arguments] }, cancellationToken);
    }

    private static async Task<CommandResult> Ip(params string[] arguments) =>
        await ProcessCommandRunner.Instance.RunAsync(new CommandRequest("ip", arguments, ToolTimeout), CancellationToken.None);

    [Fact]
    public async Task Adds_evaluates_and_removes_a_rule_with_the_real_nft()
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            Assert.Skip("needs Linux and root to create a network namespace");
        }

        string name = $"pdfw{Environment.ProcessId % 100000}x{Random.Shared.Next(1000)}";
        var created = await Ip("netns", "add", name);
        if (created.Status == CommandStatus.NotInstalled)
        {
            Assert.Skip("the ip tool is not installed");
        }

        Assert.True(created.Succeeded, created.StandardError);
        try
        {
            var runner = new NamespaceRunner(name);
            var load = await runner.RunAsync(new CommandRequest("nft", ["-f", "-"], ToolTimeout)
            {
                StandardInput = "table inet filter {\n chain input {\n  type filter hook input priority filter; policy drop;\n  ct state established,related accept\n  iif \"lo\" accept\n  tcp dport 22 accept\n }\n}\n",
            }, CancellationToken.None);
            if (load.Status == CommandStatus.NotInstalled || load.StandardError.Contains("No such file", StringComparison.Ordinal))
            {
                Assert.Skip("nft is not installed");
            }

            Assert.True(load.Succeeded, load.StandardError);
            var firewall = new NftablesFirewall(runner, isPrivileged: true);

            var before = await firewall.EvaluateInboundAsync(TransportProtocol.Tcp, 9000, null, CancellationToken.None);
            Assert.Equal(FirewallDecision.Blocked, before.Decision);
            Assert.Equal("policy drop", before.DecidedBy!.Text);

            var added = await firewall.AddAllowRuleAsync(TransportProtocol.Tcp, 9000, null, CancellationToken.None);
            Assert.Equal(FirewallChangeStatus.Added, added.Status);
            Assert.Matches(@"^inet filter input \d+$", added.Handle!.Locator);

            var after = await firewall.EvaluateInboundAsync(TransportProtocol.Tcp, 9000, null, CancellationToken.None);
            Assert.Equal(FirewallDecision.Allowed, after.Decision);
            Assert.Equal($"table inet filter chain input rule handle {added.Handle.Locator.Split(' ')[^1]}", after.DecidedBy!.Location);
            Assert.Contains("comment \"portdoctor:9000/tcp\"", after.DecidedBy.Text, StringComparison.Ordinal);

            var again = await firewall.AddAllowRuleAsync(TransportProtocol.Tcp, 9000, null, CancellationToken.None);
            Assert.Equal(FirewallChangeStatus.AlreadyPresent, again.Status);
            Assert.Equal(added.Handle, again.Handle);

            var removed = await firewall.RemoveRuleAsync(added.Handle, CancellationToken.None);
            Assert.Equal(FirewallChangeStatus.Removed, removed.Status);
            Assert.Equal(FirewallDecision.Blocked, (await firewall.EvaluateInboundAsync(TransportProtocol.Tcp, 9000, null, CancellationToken.None)).Decision);
            Assert.Equal(FirewallChangeStatus.AlreadyGone, (await firewall.RemoveRuleAsync(added.Handle, CancellationToken.None)).Status);
            Assert.Equal(FirewallDecision.Allowed, (await firewall.EvaluateInboundAsync(TransportProtocol.Tcp, 22, null, CancellationToken.None)).Decision);
        }
        finally
        {
            await Ip("netns", "del", name);
        }
    }
}
