using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Tests.Upnp;

/// <summary>One SOAP request as the fake router saw it.</summary>
internal sealed record FakeIgdRequest(string Method, string Path, string? SoapAction, string Action, IReadOnlyDictionary<string, string> Arguments, string? ContentType = null);

/// <summary>A scripted answer: status and body bytes.</summary>
internal sealed record FakeIgdAnswer(int Status, byte[] Body, bool Raw = false);

/// <summary>One WAN connection service of the fake router, found by its control path.</summary>
/// <param name="ServiceType">The type it answers as.</param>
/// <param name="ConnectionStatus">GetStatusInfo's NewConnectionStatus; null answers GetStatusInfo with fault 401.</param>
/// <param name="ExternalAddress">GetExternalIPAddress's value as sent; null answers it with fault 501.</param>
internal sealed record FakeWanService(string ServiceType, string? ConnectionStatus, string? ExternalAddress);

/// <summary>
/// A tiny IGD on a loopback address speaking HTTP/1.1 over TcpListener: keeps a mapping table, rejects an
/// unquoted SOAPAction like miniupnpd (docs/quirks.md#Q-SOAPACTION-QUOTES), plays scripted faults, counts requests. It can also serve a
/// root description (GET /rootDesc.xml) and several WAN services with their own GetStatusInfo and
/// GetExternalIPAddress answers; two servers on 127.0.0.1 and 127.0.0.2 make two IGDs on one LAN.
/// </summary>
internal sealed class FakeIgdServer : IAsyncDisposable
{
    public const string DescriptionPath = "/rootDesc.xml";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _faults = new();

    public FakeIgdServer(string serviceType = SsdpSearchTargets.WanIpConnection1, IPAddress? address = null)
    {
        ServiceType = serviceType;
        Address = address ?? IPAddress.Loopback;
        _listener = new TcpListener(Address, 0);
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public string ServiceType { get; }

    public IPAddress Address { get; }

    public Uri BaseUrl => new($"http://{Address}:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public Uri ControlUrl => new(BaseUrl, "/ctl/IPConn");

    public Uri DescriptionUrl => new(BaseUrl, DescriptionPath);

    /// <summary>The root description served at <see cref="DescriptionPath"/>; 404 when null.</summary>
    public string? Description { get; set; }

    /// <summary>How long the description request waits before it is answered (a slow embedded web server).</summary>
    public TimeSpan DescriptionDelay { get; set; }

    /// <summary>WAN services by control path; a path listed here answers GetStatusInfo and GetExternalIPAddress from its entry.</summary>
    public ConcurrentDictionary<string, FakeWanService> WanServices { get; } = new(StringComparer.Ordinal);

    /// <summary>An IGD:1 description with one WANConnectionDevice per service, control URLs relative.</summary>
    public static string IgdDescription(string friendlyName, params (string Path, string ServiceType)[] services)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>")
            .Append(CultureInfo.InvariantCulture, $"<friendlyName>{friendlyName}</friendlyName><manufacturer>Fake</manufacturer><modelName>IGD</modelName><deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><deviceList>");
        foreach ((string path, string type) in services)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<device><deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType><serviceList><service><serviceType>{type}</serviceType><controlURL>{path}</controlURL></service></serviceList></device>");
        }

        return xml.Append("</deviceList></device></deviceList></device></root>").ToString();
    }

    public ConcurrentQueue<FakeIgdRequest> Requests { get; } = new();

    /// <summary>The mapping table, key "TCP/8080".</summary>
    public ConcurrentDictionary<string, PortMappingEntry> Table { get; } = new();

    public string ExternalAddress { get; set; } = "203.0.113.5";

    /// <summary>When set and returning non-null, answers instead of the default behaviour.</summary>
    public Func<FakeIgdRequest, FakeIgdAnswer?>? Override { get; set; }

    /// <summary>When true, requests are read but never answered (for timeouts).</summary>
    public bool Hang { get; set; }

    public void ScriptFault(string action, int code, int times = 1)
    {
        ConcurrentQueue<int> queue = _faults.GetOrAdd(action, _ => new ConcurrentQueue<int>());
        for (int i = 0; i < times; i++)
        {
            queue.Enqueue(code);
        }
    }

    public int Count(string action) => Requests.Count(r => r.Action == action);

    public IReadOnlyList<FakeIgdRequest> Of(string action) => [.. Requests.Where(r => r.Action == action)];

    public static FakeIgdAnswer Fault(int code) => new(500, Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring>" +
        $"<detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>{code}</errorCode><errorDescription>scripted {code}</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>\r\n"));

    public FakeIgdAnswer Ok(string action, params (string Name, string Value)[] arguments) => Ok(ServiceType, action, arguments);

    public static FakeIgdAnswer Ok(string serviceType, string action, params (string Name, string Value)[] arguments)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>")
            .Append(CultureInfo.InvariantCulture, $"<u:{action}Response xmlns:u=\"{serviceType}\">");
        foreach ((string name, string value) in arguments)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<{name}>{System.Security.SecurityElement.Escape(value)}</{name}>");
        }

        xml.Append(CultureInfo.InvariantCulture, $"</u:{action}Response></s:Body></s:Envelope>\r\n");
        return new FakeIgdAnswer(200, Encoding.UTF8.GetBytes(xml.ToString()));
    }

    public FakeIgdAnswer EntryAnswer(string action, PortMappingEntry e, bool generic) => generic
        ? Ok(action, ("NewRemoteHost", ""), ("NewExternalPort", Num(e.ExternalPort)), ("NewProtocol", e.Protocol), ("NewInternalPort", Num(e.InternalPort)), ("NewInternalClient", e.InternalClient), ("NewEnabled", e.Enabled ? "1" : "0"), ("NewPortMappingDescription", e.Description), ("NewLeaseDuration", e.LeaseSeconds.ToString(CultureInfo.InvariantCulture)))
        : Ok(action, ("NewInternalPort", Num(e.InternalPort)), ("NewInternalClient", e.InternalClient), ("NewEnabled", e.Enabled ? "1" : "0"), ("NewPortMappingDescription", e.Description), ("NewLeaseDuration", e.LeaseSeconds.ToString(CultureInfo.InvariantCulture)));

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private FakeIgdAnswer Handle(FakeIgdRequest request)
    {
        if (request.Method == "GET")
        {
            return request.Path == DescriptionPath && Description is not null
                ? new FakeIgdAnswer(200, Encoding.UTF8.GetBytes(Description))
                : new FakeIgdAnswer(404, []);
        }

        // miniupnpd: an unquoted SOAPAction is an unknown method (docs/quirks.md#Q-SOAPACTION-QUOTES).
        if (request.SoapAction is null || request.SoapAction.Length < 2 || request.SoapAction[0] != '"' || request.SoapAction[^1] != '"')
        {
            return Fault(401);
        }

        if (_faults.TryGetValue(request.Action, out ConcurrentQueue<int>? queue) && queue.TryDequeue(out int code))
        {
            return Fault(code);
        }

        if (Override?.Invoke(request) is FakeIgdAnswer scripted)
        {
            return scripted;
        }

        if (WanServices.TryGetValue(request.Path, out FakeWanService? wan))
        {
            switch (request.Action)
            {
                case UpnpActions.GetStatusInfo:
                    return wan.ConnectionStatus is null ? Fault(401) : Ok(wan.ServiceType, request.Action, ("NewConnectionStatus", wan.ConnectionStatus), ("NewLastConnectionError", "ERROR_NONE"), ("NewUptime", "1000"));
                case UpnpActions.GetExternalIPAddress:
                    return wan.ExternalAddress is null ? Fault(501) : Ok(wan.ServiceType, request.Action, ("NewExternalIPAddress", wan.ExternalAddress));
            }
        }

        IReadOnlyDictionary<string, string> a = request.Arguments;
        string Key(int port) => $"{a.GetValueOrDefault("NewProtocol")}/{port}";
        int ext = int.TryParse(a.GetValueOrDefault("NewExternalPort"), CultureInfo.InvariantCulture, out int p) ? p : 0;
        switch (request.Action)
        {
            case UpnpActions.GetExternalIPAddress:
                return Ok(request.Action, ("NewExternalIPAddress", ExternalAddress));
            case UpnpActions.AddPortMapping:
            case UpnpActions.AddAnyPortMapping:
            {
                if (a.GetValueOrDefault("NewProtocol") is not ("TCP" or "UDP"))
                {
                    return Fault(402); // docs/quirks.md#Q-UPNP-PROTOCOL-CASE: lower-case protocol refused
                }

                var entry = new PortMappingEntry("", ext, a["NewProtocol"], int.Parse(a["NewInternalPort"], CultureInfo.InvariantCulture), a["NewInternalClient"], a["NewEnabled"] == "1", a["NewPortMappingDescription"], uint.Parse(a["NewLeaseDuration"], CultureInfo.InvariantCulture));
                if (request.Action == UpnpActions.AddAnyPortMapping)
                {
                    while (Table.TryGetValue(Key(ext), out PortMappingEntry? taken) && taken.InternalClient != entry.InternalClient)
                    {
                        ext++;
                    }

                    Table[Key(ext)] = entry with { ExternalPort = ext };
                    return Ok(request.Action, ("NewReservedPort", Num(ext)));
                }

                if (Table.TryGetValue(Key(ext), out PortMappingEntry? existing) && existing.InternalClient != entry.InternalClient)
                {
                    return Fault(718);
                }

                Table[Key(ext)] = entry;
                return Ok(request.Action);
            }

            case UpnpActions.GetSpecificPortMappingEntry:
                return Table.TryGetValue(Key(ext), out PortMappingEntry? found) ? EntryAnswer(request.Action, found, generic: false) : Fault(714);
            case UpnpActions.GetGenericPortMappingEntry:
            {
                int index = int.Parse(a["NewPortMappingIndex"], CultureInfo.InvariantCulture);
                PortMappingEntry[] all = [.. Table.Values.OrderBy(e => e.ExternalPort)];
                return index < all.Length ? EntryAnswer(request.Action, all[index], generic: true) : Fault(713);
            }

            case UpnpActions.DeletePortMapping:
                return Table.TryRemove(Key(ext), out _) ? Ok(request.Action) : Fault(714);
            default:
                return Fault(401);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                (string head, byte[] body) = await ReadRequestAsync(stream);
                string[] lines = head.Split("\r\n");
                string[] first = lines[0].Split(' ');
                var headers = lines.Skip(1).Where(l => l.Contains(':', StringComparison.Ordinal))
                    .GroupBy(l => l[..l.IndexOf(':', StringComparison.Ordinal)].Trim(), StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => g.First()[(g.First().IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
                headers.TryGetValue("SOAPAction", out string? soapAction);
                string action = soapAction is null ? "" : soapAction.Trim('"')[(soapAction.Trim('"').IndexOf('#', StringComparison.Ordinal) + 1)..];
                var arguments = new Dictionary<string, string>();
                if (body.Length > 0)
                {
                    XElement? actionElement = XDocument.Parse(Encoding.UTF8.GetString(body)).Descendants().FirstOrDefault(e => e.Name.LocalName == action);
                    foreach (XElement arg in actionElement?.Elements() ?? [])
                    {
                        arguments[arg.Name.LocalName] = arg.Value;
                    }
                }

                var request = new FakeIgdRequest(first[0], first[1], soapAction, action, arguments, headers.GetValueOrDefault("Content-Type"));
                Requests.Enqueue(request);
                if (Hang)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                if (request.Method == "GET" && DescriptionDelay > TimeSpan.Zero)
                {
                    await Task.Delay(DescriptionDelay, _stop.Token);
                }

                FakeIgdAnswer answer = Handle(request);
                byte[] bytes = answer.Raw ? answer.Body : [.. Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 {answer.Status} {(answer.Status == 200 ? "OK" : "Internal Server Error")}\r\nContent-Type: text/xml; charset=\"utf-8\"\r\nContent-Length: {answer.Body.Length}\r\nConnection: close\r\nServer: FakeIgd/1.0 UPnP/1.1 MiniUPnPd/2.3.1\r\n\r\n"), .. answer.Body];
                await stream.WriteAsync(bytes, _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // The client went away or the server is stopping.
            }
        }
    }

    private static async Task<(string Head, byte[] Body)> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        byte[] one = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(buffer)) < 0)
        {
            int n = await stream.ReadAsync(one);
            if (n == 0 || buffer.Count > 65536)
            {
                throw new IOException("client closed before the end of the headers");
            }

            buffer.AddRange(one.AsSpan(0, n));
        }

        string head = Encoding.ASCII.GetString([.. buffer.Take(headEnd)]);
        int length = head.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(l => int.Parse(l[15..].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
        while (buffer.Count < headEnd + 4 + length)
        {
            int n = await stream.ReadAsync(one);
            if (n == 0)
            {
                throw new IOException("client closed before the end of the body");
            }

            buffer.AddRange(one.AsSpan(0, n));
        }

        return (head, [.. buffer.Skip(headEnd + 4).Take(length)]);
    }

    private static int IndexOfHeadEnd(List<byte> buffer)
    {
        for (int i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
