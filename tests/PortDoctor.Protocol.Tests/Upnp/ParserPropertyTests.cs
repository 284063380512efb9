using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Xunit;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Protocol.Tests.Upnp;

public class ParserPropertyTests
{
    private static readonly Uri Location = new("http://192.168.1.1:5000/rootDesc.xml");

    [Property(MaxTest = 300)]
    public void Ssdp_parser_never_throws(byte[] datagram)
    {
        bool ok = SsdpResponseParser.TryRead(datagram ?? [], out SsdpResponse? r, out string? error);
        Assert.True(ok ? r is not null && error is null : r is null && error is not null);
    }

    [Property(MaxTest = 300)]
    public void Ssdp_parser_never_throws_on_text_that_looks_like_a_reply(string? header, string? value)
    {
        string text = $"HTTP/1.1 200 OK\r\n{header}: {value}\r\nST: {value}\r\nLOCATION: {value}\r\n\r\n";
        SsdpResponseParser.TryRead(Encoding.UTF8.GetBytes(text), out _, out _);
    }

    [Property(MaxTest = 300)]
    public void Description_parser_never_throws(byte[] xml, string? text)
    {
        UpnpDescriptionParser.TryRead(xml ?? [], Location, out _, out _);
        UpnpDescriptionParser.TryRead(text, Location, out _, out _);
        UpnpDescriptionParser.TryRead($"<root><URLBase>{text}</URLBase><device><serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>{text}</controlURL></service></serviceList></device></root>", Location, out _, out _);
    }

    [Property(MaxTest = 300)]
    public void Soap_parser_never_throws(byte[] body, int status, string? text)
    {
        SoapResponseParser.TryRead(body ?? [], status, UpnpActions.AddPortMapping, out _, out _);
        SoapResponseParser.TryRead(Encoding.UTF8.GetBytes(text ?? string.Empty), status, UpnpActions.GetExternalIPAddress, out _, out _);
        UpnpExternalAddress.FromResponse(body ?? [], status);
        UpnpExternalAddress.Interpret(text);
    }

    [Property(MaxTest = 200)]
    public void Soap_parser_never_throws_inside_a_fault_or_response(string? text)
    {
        string fault = $"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault><detail><UPnPError><errorCode>{text}</errorCode></UPnPError></detail></s:Fault></s:Body></s:Envelope>";
        SoapResponseParser.TryRead(Encoding.UTF8.GetBytes(fault), 500, UpnpActions.AddPortMapping, out _, out _);
        string response = $"<u:GetExternalIPAddressResponse><NewExternalIPAddress>{text}</NewExternalIPAddress></u:GetExternalIPAddressResponse>";
        UpnpExternalAddress.FromResponse(Encoding.UTF8.GetBytes(response), 200);
    }

    [Property(MaxTest = 300)]
    public void Soap_parser_never_throws_on_broken_faults_and_responses(string? text, PositiveInt cut)
    {
        string fault = $"<s:Envelope><s:Body><s:Fault><detail><UPnPError><errorCode>{text}</ErrorCode><errorDescription>{text}</s:Fault></s:Body></s:Envelope>";
        string response = $"<u:AddAnyPortMappingResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:2\">{text}<NewReservedPort>{text}</u:AddAnyPortMappingResponse>";
        foreach (string body in new[] { fault, response })
        {
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            byte[] cutShort = bytes[..(cut.Get % (bytes.Length + 1))];
            bool ok = SoapResponseParser.TryRead(cutShort, 500, UpnpActions.AddAnyPortMapping, out SoapResponse? r, out string? error);
            Assert.True(ok ? r is not null && error is null : r is null && error is not null);
        }
    }

    private static string XmlSafe(string? value) =>
        new((value ?? string.Empty).Where(c => System.Xml.XmlConvert.IsXmlChar(c)).ToArray());

    [Property(MaxTest = 300)]
    public void Request_arguments_round_trip_through_the_response_reader(string? description, string? client, PositiveInt port, bool enabled, uint lease)
    {
        int p = (port.Get % 65535) + 1;
        var entry = new PortMappingEntry("", p, "TCP", p, XmlSafe(client), enabled, XmlSafe(description), lease);
        SoapRequest request = SoapRequestBuilder.AddPortMapping(SsdpSearchTargets.WanIpConnection1, entry);
        byte[] asResponse = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(request.Body.Span).Replace("u:AddPortMapping", "u:AddPortMappingResponse", StringComparison.Ordinal));
        Assert.True(SoapResponseParser.TryRead(asResponse, 200, UpnpActions.AddPortMapping, out SoapResponse? r, out string? error), error);
        Assert.Equal(entry.Description, r.Arguments["NewPortMappingDescription"]);
        Assert.Equal(entry.InternalClient, r.Arguments["NewInternalClient"]);
        Assert.Equal(p.ToString(CultureInfo.InvariantCulture), r.Arguments["NewExternalPort"]);
        Assert.Equal(lease.ToString(CultureInfo.InvariantCulture), r.Arguments["NewLeaseDuration"]);
        Assert.Equal(enabled ? "1" : "0", r.Arguments["NewEnabled"]);
        Assert.Equal("TCP", r.Arguments["NewProtocol"]);
    }

    [Property(MaxTest = 100)]
    public void Generic_entry_round_trips_through_builder_and_reader(PositiveInt port, bool udp, uint lease, byte a, byte b)
    {
        int p = (port.Get % 65535) + 1;
        var entry = new PortMappingEntry("", p, udp ? "UDP" : "TCP", p, $"10.{a}.{b}.2", true, "pd", lease);
        string body = Encoding.UTF8.GetString(SoapRequestBuilder.AddPortMapping(SsdpSearchTargets.WanIpConnection1, entry).Body.Span)
            .Replace("u:AddPortMapping", "u:GetGenericPortMappingEntryResponse", StringComparison.Ordinal);
        Assert.True(SoapResponseParser.TryRead(Encoding.UTF8.GetBytes(body), 200, UpnpActions.GetGenericPortMappingEntry, out SoapResponse? r, out _));
        Assert.True(UpnpArgumentReader.TryReadGenericEntry(r.Arguments, out PortMappingEntry? back, out string? error), error);
        Assert.Equal(entry, back);
    }
}
