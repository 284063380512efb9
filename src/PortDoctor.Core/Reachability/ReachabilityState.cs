namespace PortDoctor.Core.Reachability;

/// <summary>What an outside checker saw when it tried to reach a port (the nmap vocabulary).</summary>
public enum ReachabilityState
{
    /// <summary>Reachable: a TCP connection completed, or the UDP responder echoed the nonce.</summary>
    Open,

    /// <summary>
    /// TCP only: the packet reached a host that actively refused it (RST). The router forwards the port
    /// (or the PC has a public address), but nothing accepts on it or the PC's firewall rejects.
    /// </summary>
    Closed,

    /// <summary>
    /// No answer within the checker's timeout: a firewall or the router drops the packets, or no
    /// forwarding exists. For UDP every failure is reported this way (an ICMP error cannot tell a router
    /// without forwarding from a PC without a listener).
    /// </summary>
    Filtered,
}
