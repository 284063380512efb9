using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Ports;

/// <summary>Picks the lookup for the running OS.</summary>
public static class PortOwnerLookup
{
    /// <summary>The lookup for this OS: /proc on Linux; elsewhere one that reports nothing known.</summary>
    /// <returns>The lookup.</returns>
    public static IPortOwnerLookup ForCurrentOs() =>
        OperatingSystem.IsLinux() ? new LinuxPortOwnerLookup() : new UnsupportedPortOwnerLookup();

    private sealed class UnsupportedPortOwnerLookup : IPortOwnerLookup
    {
        public IReadOnlyList<PortOwner> FindOwners(TransportProtocol protocol, int port) => [];
    }
}
