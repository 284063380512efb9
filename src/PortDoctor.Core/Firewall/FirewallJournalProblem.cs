using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Firewall;

/// <summary>Why a journal record could not be read back as a <see cref="FirewallRuleHandle"/>.</summary>
public enum FirewallJournalProblemCode
{
    /// <summary>The record is not a firewall change (another Kind).</summary>
    NotAFirewallRule,

    /// <summary>The record's Method names no registered backend (a newer version's backend, or a damaged file).</summary>
    UnknownBackend,

    /// <summary>The record's protocol is neither tcp nor udp.</summary>
    UnknownProtocol,

    /// <summary>The record's port is outside 1–65535.</summary>
    PortOutOfRange,
}

/// <summary>A journal record that is not a usable firewall change.</summary>
/// <param name="Code">What kind of problem.</param>
/// <param name="Text">The sentence for the user.</param>
public sealed record FirewallJournalProblem(FirewallJournalProblemCode Code, Text Text);
