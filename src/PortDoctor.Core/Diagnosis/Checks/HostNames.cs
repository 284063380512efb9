using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Net;

namespace PortDoctor.Core.Diagnosis.Checks;

/// <summary>Turns a URL's host into addresses for diagnose: an address literal as it is, a name through the resolver seam.</summary>
internal static class HostNames
{
    /// <summary>
    /// How long one lookup may take: glibc's resolver waits 5 s per try by default (resolv.conf <c>timeout:5</c>).
    /// A name the first try does not resolve is as good as unknown for a diagnosis a person is waiting on, and the
    /// wait stays well inside the 12 s budget (<see cref="DiagnoseOptions.DefaultBudget"/>).
    /// </summary>
    public static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The address a URL host spells literally (IPv6 in brackets), if it is one.</summary>
    /// <param name="host">The host part of a URL.</param>
    /// <param name="address">The address.</param>
    /// <returns>True for an address literal.</returns>
    public static bool TryParseLiteral(string host, out IPAddress? address) => IPAddress.TryParse(host.Trim('[', ']'), out address);

    /// <summary>Resolves <paramref name="host"/> within <see cref="ResolveTimeout"/>.</summary>
    /// <param name="resolver">The resolver seam.</param>
    /// <param name="host">A DNS name.</param>
    /// <param name="family">The address family wanted, or <see cref="AddressFamily.Unspecified"/>.</param>
    /// <param name="cancellationToken">The diagnose budget.</param>
    /// <returns>The addresses; null when the name does not resolve in time.</returns>
    public static Task<IReadOnlyList<IPAddress>?> ResolveAsync(IHostResolver resolver, string host, AddressFamily family, CancellationToken cancellationToken) =>
        resolver.ResolveAsync(host, family, ResolveTimeout, cancellationToken);
}
