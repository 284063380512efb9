using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Net;

namespace PortDoctor.Core.Tests.Net;

/// <summary>The real DNS and TCP-connect seams, on loopback only.</summary>
public sealed class SystemSeamsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_connector_tells_an_accepted_connection_from_a_refused_one()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var open = (IPEndPoint)listener.LocalEndpoint;
        Assert.True(await SocketTcpConnector.Instance.TryConnectAsync(open, TimeSpan.FromSeconds(5), Ct));

        listener.Stop();
        Assert.False(await SocketTcpConnector.Instance.TryConnectAsync(open, TimeSpan.FromSeconds(5), Ct));
    }

    [Fact]
    public async Task The_connector_rethrows_the_callers_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            SocketTcpConnector.Instance.TryConnectAsync(new IPEndPoint(IPAddress.Loopback, 9), TimeSpan.FromSeconds(5), cancelled.Token));
    }

    [Fact]
    public async Task The_resolver_answers_localhost_for_the_family_asked()
    {
        var v4 = await SystemHostResolver.Instance.ResolveAsync("localhost", AddressFamily.InterNetwork, TimeSpan.FromSeconds(5), Ct);
        Assert.NotNull(v4);
        Assert.Contains(IPAddress.Loopback, v4);
        Assert.All(v4, a => Assert.Equal(AddressFamily.InterNetwork, a.AddressFamily));
    }

    [Fact]
    public async Task The_resolver_rethrows_the_callers_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            SystemHostResolver.Instance.ResolveAsync("localhost", AddressFamily.Unspecified, TimeSpan.FromSeconds(5), cancelled.Token));
    }
}
