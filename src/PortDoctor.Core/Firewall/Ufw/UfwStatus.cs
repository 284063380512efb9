namespace PortDoctor.Core.Firewall.Ufw;

/// <summary>One rule line of <c>ufw status verbose</c>.</summary>
/// <param name="Number">1-based position in the listing.</param>
/// <param name="To">The "To" column ("8080/tcp", "6000:6007/tcp", "Anywhere on eth0", "OpenSSH").</param>
/// <param name="Action">ALLOW, DENY, REJECT or LIMIT.</param>
/// <param name="Direction">IN, OUT or FWD (IN when the listing omits it).</param>
/// <param name="From">The "From" column ("Anywhere", "192.168.1.0/24").</param>
/// <param name="IsV6">True for the "(v6)" twin of a rule.</param>
/// <param name="Comment">The "# comment" text, if any.</param>
/// <param name="Text">The whole line.</param>
internal sealed record UfwRule(int Number, string To, string Action, string Direction, string From, bool IsV6, string? Comment, string Text);

/// <summary>A parsed <c>ufw status verbose</c>.</summary>
/// <param name="Active">True for "Status: active".</param>
/// <param name="DefaultIncoming">"deny", "reject" or "allow" (the incoming default), or null when not listed (inactive).</param>
/// <param name="Rules">The rules in listed order.</param>
internal sealed record UfwStatus(bool Active, string? DefaultIncoming, IReadOnlyList<UfwRule> Rules);
