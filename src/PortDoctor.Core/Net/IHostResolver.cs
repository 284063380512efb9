using System.Net;
using System.Net.Sockets;

namespace PortDoctor.Core.Net;

/// <summary>Resolves host names: the system resolver in the CLI, fakes in tests.</summary>
public interface IHostResolver
{
    /// <summary>Looks up the addresses of <paramref name="host"/>.</summary>
    /// <param name="host">A DNS name (callers handle address literals themselves).</param>
    /// <param name="family"><see cref="AddressFamily.InterNetwork"/> for IPv4 only, <see cref="AddressFamily.Unspecified"/> for every family.</param>
    /// <param name="timeout">How long to wait for the answer; the caller names its own limit.</param>
    /// <param name="cancellationToken">Cancels the lookup (rethrown as <see cref="OperationCanceledException"/>).</param>
    /// <returns>The addresses (possibly none); null when the name does not resolve or no answer came within <paramref name="timeout"/>.</returns>
    Task<IReadOnlyList<IPAddress>?> ResolveAsync(string host, AddressFamily family, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary><see cref="IHostResolver"/> over the operating system's resolver (<see cref="Dns"/>).</summary>
public sealed class SystemHostResolver : IHostResolver
{
    /// <summary>The one instance: it holds no state.</summary>
    public static readonly SystemHostResolver Instance = new();

    private SystemHostResolver()
    {
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IPAddress>?> ResolveAsync(string host, AddressFamily family, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await Dns.GetHostAddressesAsync(host, family, deadline.Token).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
