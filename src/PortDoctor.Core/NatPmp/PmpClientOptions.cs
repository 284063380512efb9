using PortDoctor.Protocol.NatPmp;

namespace PortDoctor.Core.NatPmp;

/// <summary>Timing and addressing of the NAT-PMP and PCP clients. The defaults suit a router on the LAN.</summary>
public sealed record PmpClientOptions
{
    /// <summary>
    /// Total time one request may take, retransmissions included. A router on the LAN answers within a few ms;
    /// 3 s allows five sends (0, 0.25, 0.75, 1.75 s, then the budget ends) against Wi-Fi loss and matches the UPnP
    /// discovery budget, so "no answer" verdicts come at the same pace for every protocol. RFC 6886 §3.1 would
    /// retry for 64 s and RFC 6887 §8.1.1 for much longer; that suits a daemon, not a person waiting at a prompt.
    /// </summary>
    public static readonly TimeSpan DefaultRequestBudget = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Budget for the presence probe: about three sends (0, 0.25, 0.75 s). A gateway that speaks the protocol
    /// answers the first one within milliseconds, and the probe runs beside UPnP discovery, so a silent gateway
    /// must not hold up the overall probe.
    /// </summary>
    public static readonly TimeSpan DefaultProbeBudget = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Delay before the first retransmission, doubled after each: RFC 6886 §3.1's 250 ms. PCP's 3 s initial
    /// retransmission time (RFC 6887 §8.1.1) is meant for servers that may be far away; ours is on the LAN,
    /// so PCP uses the NAT-PMP schedule too, still bounded by <see cref="RequestBudget"/>.
    /// </summary>
    public static readonly TimeSpan DefaultInitialRetransmit = TimeSpan.FromMilliseconds(250);

    /// <summary>The server's UDP port; 5351 (RFC 6886 §3.1, RFC 6887 §19.1). Tests point it at a fake gateway.</summary>
    public int ServerPort { get; init; } = NatPmpWire.ServerPort;

    /// <summary>Total time one request may take, retransmissions included; <see cref="DefaultRequestBudget"/>.</summary>
    public TimeSpan RequestBudget { get; init; } = DefaultRequestBudget;

    /// <summary>Budget of the presence probe; <see cref="DefaultProbeBudget"/>.</summary>
    public TimeSpan ProbeBudget { get; init; } = DefaultProbeBudget;

    /// <summary>Delay before the first retransmission, doubled after each; <see cref="DefaultInitialRetransmit"/>.</summary>
    public TimeSpan InitialRetransmit { get; init; } = DefaultInitialRetransmit;

    /// <summary>Clock for retransmission delays, budgets and epoch checks.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The port is outside 1–65535 or a duration is not positive.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ServerPort, 1, nameof(ServerPort));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ServerPort, 65535, nameof(ServerPort));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestBudget, TimeSpan.Zero, nameof(RequestBudget));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ProbeBudget, TimeSpan.Zero, nameof(ProbeBudget));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(InitialRetransmit, TimeSpan.Zero, nameof(InitialRetransmit));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
