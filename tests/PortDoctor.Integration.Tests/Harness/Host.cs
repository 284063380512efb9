namespace PortDoctor.Integration.Tests.Harness;

/// <summary>A machine in the simulated network; each one is a network namespace.</summary>
public enum Host
{
    /// <summary>The user's computer (LAN side; on the WAN block in the public-host variant).</summary>
    Pc,

    /// <summary>The home router running miniupnpd (absent in public-host).</summary>
    Router,

    /// <summary>The ISP's / carrier's NAT router in double-nat and cgnat; absent otherwise.</summary>
    Upstream,

    /// <summary>The "internet" host on the public block; runs the checker.</summary>
    Inet,
}
