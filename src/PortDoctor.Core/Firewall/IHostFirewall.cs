using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Firewall;

/// <summary>
/// One host firewall backend. Implementations read the firewall through its own tool, evaluate rules
/// without guessing (anything not understood gives <see cref="FirewallDecision.Unknown"/>), and change
/// nothing but one narrow, tagged allow rule: they never disable a firewall or flush a ruleset.
/// </summary>
public interface IHostFirewall
{
    /// <summary>The backend name (<see cref="FirewallBackendNames"/>).</summary>
    string Name { get; }

    /// <summary>Reads whether this backend is in force and what is notable about it. Read-only.</summary>
    /// <param name="cancellationToken">Cancels the tool run.</param>
    /// <returns>The state; tool failures are reported in it, not thrown.</returns>
    /// <exception cref="TimeoutException">The firewall tool hung past its timeout.</exception>
    Task<FirewallState> InspectAsync(CancellationToken cancellationToken);

    /// <summary>Would an inbound new connection described by <paramref name="query"/> be accepted? Read-only.</summary>
    /// <param name="query">Protocol, port, program, interface and IP version.</param>
    /// <param name="cancellationToken">Cancels the tool run.</param>
    /// <returns>The verdict with the deciding rule; Unknown (with the reason) rather than a guess.</returns>
    /// <exception cref="TimeoutException">The firewall tool hung past its timeout.</exception>
    Task<FirewallVerdict> EvaluateInboundAsync(InboundQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Adds one allow rule for exactly <paramref name="query"/>'s protocol and port (and program where the
    /// backend supports it), tagged <see cref="FirewallTag.For"/>, placed where it takes effect. Idempotent:
    /// an identical PortDoctor rule gives <see cref="FirewallChangeStatus.AlreadyPresent"/>.
    /// </summary>
    /// <param name="query">Protocol, port and program.</param>
    /// <param name="cancellationToken">Cancels the tool run.</param>
    /// <returns>The result; journal its handle when <see cref="FirewallChangeStatus.Added"/>.</returns>
    /// <exception cref="TimeoutException">The firewall tool hung past its timeout.</exception>
    Task<FirewallChangeResult> AddAllowRuleAsync(InboundQuery query, CancellationToken cancellationToken);

    /// <summary>Removes a rule PortDoctor added; a rule without PortDoctor's tag is left alone; already gone counts as success.</summary>
    /// <param name="handle">The rule, as journaled.</param>
    /// <param name="cancellationToken">Cancels the tool run.</param>
    /// <returns>The result.</returns>
    /// <exception cref="TimeoutException">The firewall tool hung past its timeout.</exception>
    Task<FirewallChangeResult> RemoveRuleAsync(FirewallRuleHandle handle, CancellationToken cancellationToken);
}

/// <summary>Convenience overloads over <see cref="IHostFirewall"/>.</summary>
internal static class HostFirewallExtensions
{
    /// <summary>Evaluates an IPv4 inbound connection on an unknown interface.</summary>
    /// <param name="firewall">The backend.</param>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="port">The port, 1–65535.</param>
    /// <param name="programPath">The receiving program, or null.</param>
    /// <param name="cancellationToken">Cancels the tool run.</param>
    /// <returns>The verdict.</returns>
    public static Task<FirewallVerdict> EvaluateInboundAsync(this IHostFirewall firewall, TransportProtocol protocol, int port, string? programPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(firewall);
        return firewall.EvaluateInboundAsync(new InboundQuery(protocol, port, programPath), cancellationToken);
    }

    /// <summary>Adds PortDoctor's allow rule for one protocol and port.</summary>
    /// <param name="firewall">The backend.</param>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="port">The port, 1–65535.</param>
    /// <param name="programPath">The receiving program, or null.</param>
    /// <param name="cancellationToken">Cancels the tool run.</param>
    /// <returns>The result.</returns>
    public static Task<FirewallChangeResult> AddAllowRuleAsync(this IHostFirewall firewall, TransportProtocol protocol, int port, string? programPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(firewall);
        return firewall.AddAllowRuleAsync(new InboundQuery(protocol, port, programPath), cancellationToken);
    }
}
