using System.Net;
using PortDoctor.Core.Net;

namespace PortDoctor.Core.Tests.Fakes;

/// <summary>Accepts connections to the endpoints it is told to; records every attempt with the timeout it was given.</summary>
internal sealed class FakeTcpConnector : ITcpConnector
{
    private readonly HashSet<IPEndPoint> _accepting = [];

    public List<(IPEndPoint EndPoint, TimeSpan Timeout)> Attempts { get; } = [];

    public FakeTcpConnector Accept(string endPoint)
    {
        _accepting.Add(IPEndPoint.Parse(endPoint));
        return this;
    }

    public Task<bool> TryConnectAsync(IPEndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Attempts.Add((endPoint, timeout));
        return Task.FromResult(_accepting.Contains(endPoint));
    }
}
