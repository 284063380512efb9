using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Net;

namespace PortDoctor.Core.Tests.Fakes;

/// <summary>Answers names from a table; a name not in the table does not resolve. Records every lookup.</summary>
internal sealed class FakeHostResolver : IHostResolver
{
    private readonly Dictionary<string, IReadOnlyList<IPAddress>> _names = new(StringComparer.OrdinalIgnoreCase);

    public List<(string Host, AddressFamily Family, TimeSpan Timeout)> Lookups { get; } = [];

    public FakeHostResolver Answer(string host, params string[] addresses)
    {
        _names[host] = [.. addresses.Select(IPAddress.Parse)];
        return this;
    }

    public Task<IReadOnlyList<IPAddress>?> ResolveAsync(string host, AddressFamily family, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Lookups.Add((host, family, timeout));
        return Task.FromResult(_names.TryGetValue(host, out var addresses)
            ? (IReadOnlyList<IPAddress>?)addresses.Where(a => family == AddressFamily.Unspecified || a.AddressFamily == family).ToList()
            : null);
    }
}
