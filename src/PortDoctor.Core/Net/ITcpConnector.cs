using System.Net;
using System.Net.Sockets;

namespace PortDoctor.Core.Net;

/// <summary>Opens test TCP connections: real sockets in the CLI, fakes in tests.</summary>
public interface ITcpConnector
{
    /// <summary>Connects to <paramref name="endPoint"/> and closes the connection again at once.</summary>
    /// <param name="endPoint">Where to connect.</param>
    /// <param name="timeout">How long to wait for the connection; the caller names its own limit.</param>
    /// <param name="cancellationToken">Cancels the attempt (rethrown as <see cref="OperationCanceledException"/>).</param>
    /// <returns>True when the connection was accepted within <paramref name="timeout"/>; false when it was refused,
    /// unreachable or not answered in time.</returns>
    Task<bool> TryConnectAsync(IPEndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary><see cref="ITcpConnector"/> over <see cref="TcpClient"/>.</summary>
public sealed class SocketTcpConnector : ITcpConnector
{
    /// <summary>The one instance: it holds no state.</summary>
    public static readonly SocketTcpConnector Instance = new();

    private SocketTcpConnector()
    {
    }

    /// <inheritdoc />
    public async Task<bool> TryConnectAsync(IPEndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var client = new TcpClient(endPoint.AddressFamily);
        try
        {
            await client.ConnectAsync(endPoint, deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
