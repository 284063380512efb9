using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Ports;

/// <summary>Picks the lookup for the running OS.</summary>
public static class PortOwnerLookup
{
    /// <summary>The lookup for this OS: /proc on Linux, the IP Helper owner tables on Windows; elsewhere one that reports nothing known.</summary>
    /// <returns>The lookup.</returns>
    public static IPortOwnerLookup ForCurrentOs()
    {
        if (OperatingSystem.IsWindows())
        {
            return new WindowsPortOwnerLookup();
        }

        return OperatingSystem.IsLinux() ? new LinuxPortOwnerLookup() : new UnsupportedPortOwnerLookup();
    }

    private sealed class UnsupportedPortOwnerLookup : IPortOwnerLookup
    {
        public IReadOnlyList<PortOwner> FindOwners(TransportProtocol protocol, int port) => [];
    }
}
