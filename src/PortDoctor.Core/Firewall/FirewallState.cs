namespace PortDoctor.Core.Firewall;

/// <summary>What <see cref="IHostFirewall.InspectAsync"/> found: is this backend in force, and anything notable.</summary>
/// <param name="Backend">The backend (<see cref="FirewallBackendNames"/>).</param>
/// <param name="IsActive">True when the backend filters inbound traffic now; null when it could not be read.</param>
/// <param name="Summary">One English line: "ufw active, default deny (incoming)", "nftables: 2 input chains, policy drop".</param>
/// <param name="Findings">Notable findings (block-all-incoming, third-party firewalls, missing privileges).</param>
public sealed record FirewallState(string Backend, bool? IsActive, string Summary, IReadOnlyList<FirewallFinding> Findings);
