using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Firewall;

/// <summary>How adding or removing a rule ended.</summary>
public enum FirewallChangeStatus
{
    /// <summary>PortDoctor added its rule; journal <see cref="FirewallChangeResult.Handle"/>.</summary>
    Added,

    /// <summary>An identical PortDoctor rule was already there; <see cref="FirewallChangeResult.Handle"/> names it.</summary>
    AlreadyPresent,

    /// <summary>The port is already allowed by a rule that is not PortDoctor's; nothing was added and nothing must be journaled.</summary>
    NotNeeded,

    /// <summary>The rule was removed.</summary>
    Removed,

    /// <summary>The rule was already gone (removed by hand, reboot for runtime-only rules); counts as success.</summary>
    AlreadyGone,

    /// <summary>The rule at the handle does not carry PortDoctor's tag, so it was left alone.</summary>
    NotOurs,

    /// <summary>Root/administrator rights are needed; <see cref="FirewallChangeResult.CommandForAdministrator"/> is the exact command to run.</summary>
    NeedsPrivilege,

    /// <summary>The tool failed or is missing; <see cref="FirewallChangeResult.Message"/> says why.</summary>
    Failed,
}

/// <summary>The result of <see cref="IHostFirewall.AddAllowRuleAsync"/> or <see cref="IHostFirewall.RemoveRuleAsync"/>.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Message">What the backend adds to the workflow's own sentence (where the rule is, why it failed); it never repeats the backend and port, which that sentence names.</param>
/// <param name="Handle">The rule (Added, AlreadyPresent, Removed, AlreadyGone, NotOurs); null otherwise.</param>
/// <param name="CommandForAdministrator">For NeedsPrivilege: the exact command line to run as root/administrator; else null.</param>
public sealed record FirewallChangeResult(FirewallChangeStatus Status, Text Message, FirewallRuleHandle? Handle = null, string? CommandForAdministrator = null)
{
    /// <summary>True for Added, AlreadyPresent, NotNeeded, Removed and AlreadyGone.</summary>
    public bool Succeeded => Status is FirewallChangeStatus.Added or FirewallChangeStatus.AlreadyPresent or FirewallChangeStatus.NotNeeded
        or FirewallChangeStatus.Removed or FirewallChangeStatus.AlreadyGone;
}
