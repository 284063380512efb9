using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PortDoctor.Core.Net;
using PortDoctor.Core.Tests.Upnp;

namespace PortDoctor.Core.Tests.Mapping;

/// <summary>
/// A socket that becomes real (UDP on loopback) when the NAT-PMP/PCP exchange connects it, and a scripted SSDP
/// fake when discovery sets a multicast interface: so one transport factory serves the whole probe and no
/// multicast ever leaves this process.
/// </summary>
internal sealed class SwitchingTransport(Func<FakeUdpTransport> ssdp) : IUdpTransport
{
    private IUdpTransport? _inner;
    private IPEndPoint? _bound;

    public IPEndPoint? LocalEndPoint => _inner?.LocalEndPoint ?? _bound;

    public void Bind(IPEndPoint localEndPoint) => _bound = localEndPoint;

    public void Connect(IPEndPoint remoteEndPoint)
    {
        var real = new UdpTransport(AddressFamily.InterNetwork);
        real.Bind(_bound!);
        real.Connect(remoteEndPoint);
        _inner = real;
    }

    public void SetMulticastInterface(IPAddress interfaceAddress, int timeToLive)
    {
        var fake = ssdp();
        fake.Bind(_bound!);
        fake.SetMulticastInterface(interfaceAddress, timeToLive);
        _inner = fake;
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remoteEndPoint, CancellationToken cancellationToken) =>
        Inner.SendAsync(datagram, remoteEndPoint, cancellationToken);

    public ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        Inner.ReceiveAsync(buffer, cancellationToken);

    public void Dispose() => _inner?.Dispose();

    private IUdpTransport Inner => _inner ?? throw new InvalidOperationException("neither connected nor set up for multicast");
}

/// <summary>A UPnP IGD on 127.0.0.1 as far as discovery sees it: SSDP replies from a script, the description from a handler.</summary>
internal sealed class FakeSsdpIgd : HttpMessageHandler
{
    public const string DescriptionUrl = "http://127.0.0.1:5000/rootDesc.xml";

    private const string Description =
        "<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:2</deviceType>" +
        "<friendlyName>Lab router</friendlyName><manufacturer>Acme</manufacturer><modelName>R9</modelName><deviceList><device><deviceList><device><serviceList>" +
        "<service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:2</serviceType><controlURL>/ctl/IPConn</controlURL></service>" +
        "</serviceList></device></deviceList></device></deviceList></device></root>";

    public bool Answers { get; set; } = true;

    public ConcurrentQueue<Uri> Fetched { get; } = new();

    public FakeUdpTransport NewSocket() => new((text, to) =>
    {
        if (!Answers)
        {
            return [];
        }

        string st = text.Split("\r\n").First(l => l.StartsWith("ST: ", StringComparison.Ordinal))[4..];
        return st.Contains("InternetGatewayDevice", StringComparison.Ordinal)
            ? [($"HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: {st}\r\nUSN: uuid:1::{st}\r\nEXT:\r\nLOCATION: {DescriptionUrl}\r\n\r\n", new IPEndPoint(IPAddress.Loopback, 1900))]
            : [];
    });

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Fetched.Enqueue(request.RequestUri!);
        return Task.FromResult(request.RequestUri!.AbsoluteUri == DescriptionUrl
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Description, Encoding.UTF8, "text/xml") }
            : new HttpResponseMessage(HttpStatusCode.NotFound));
    }
}
