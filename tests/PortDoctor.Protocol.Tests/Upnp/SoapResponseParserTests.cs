using System.Net;
using System.Text;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Protocol.Tests.Upnp;

public class SoapResponseParserTests
{
    private static SoapResponse Parse(byte[] body, int status, string action)
    {
        Assert.True(SoapResponseParser.TryRead(body, status, action, out SoapResponse? r, out string? error), error);
        return r;
    }

    private static string FaultXml(string code) =>
        "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring>" +
        $"<detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>{code}</errorCode><errorDescription>text {code}</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>";

    [Fact]
    public void Fault_725_with_camel_case_fault_elements()
    {
        SoapResponse r = Parse(Fixture.Bytes("fault-725-camelcase.xml"), 500, UpnpActions.AddPortMapping);
        Assert.False(r.IsSuccess);
        Assert.Equal(UpnpErrorCode.OnlyPermanentLeasesSupported, r.Fault!.Code);
        Assert.Equal(725, r.Fault.RawCode);
        Assert.Equal("OnlyPermanentLeasesSupported", r.Fault.ErrorDescription);
        Assert.Equal("UPnPError", r.Fault.FaultString);
    }

    [Fact]
    public void Fault_402_with_upper_case_SOAP_prefix()
    {
        SoapResponse r = Parse(Fixture.Bytes("fault-402-soap-prefix.xml"), 500, UpnpActions.AddPortMapping);
        Assert.Equal(UpnpErrorCode.InvalidArgs, r.Fault!.Code);
        Assert.Equal("Invalid Args", r.Fault.ErrorDescription);
        Assert.Equal("402 InvalidArgs (router: 'Invalid Args')", r.Fault.ToString());
    }

    [Fact]
    public void Response_whose_namespace_is_the_action_name_is_success()
    {
        SoapResponse r = Parse(Fixture.Bytes("soap-response-namespace-is-action.xml"), 200, UpnpActions.DeletePortMapping);
        Assert.True(r.IsSuccess);
        Assert.True(r.ResponseElementFound);
        Assert.Empty(r.Arguments);
    }

    [Fact]
    public void Undeclared_prefix_is_parsed_again_without_namespaces()
    {
        SoapResponse r = Parse(Fixture.Bytes("soap-response-undeclared-prefix.xml"), 200, UpnpActions.GetExternalIPAddress);
        Assert.True(r.ResponseElementFound);
        Assert.Equal("11.22.33.44", r.Arguments["NewExternalIPAddress"]);
        Assert.Equal(IPAddress.Parse("11.22.33.44"), UpnpExternalAddress.FromResponse(Fixture.Bytes("soap-response-undeclared-prefix.xml"), 200));
    }

    [Fact]
    public void M_prefix_with_dt_attributes_gives_the_entry()
    {
        SoapResponse r = Parse(Fixture.Bytes("soap-response-m-prefix.xml"), 200, UpnpActions.GetSpecificPortMappingEntry);
        Assert.True(UpnpArgumentReader.TryReadSpecificEntry(r.Arguments, "", 8080, "TCP", out PortMappingEntry? entry, out string? error), error);
        Assert.Equal(new PortMappingEntry("", 8080, "TCP", 8080, "192.168.1.23", true, "stream", 0), entry);
    }

    [Fact]
    public void Http_200_without_response_element_is_success_for_actions_without_out_arguments()
    {
        SoapResponse r = Parse(Encoding.UTF8.GetBytes("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body/></s:Envelope>"), 200, UpnpActions.DeletePortMapping);
        Assert.True(r.IsSuccess);
        Assert.False(r.ResponseElementFound);
        Assert.True(Parse([], 200, UpnpActions.AddPortMapping).IsSuccess);
    }

    [Fact]
    public void Http_500_without_fault_is_an_error()
    {
        Assert.False(SoapResponseParser.TryRead("<a/>"u8, 500, UpnpActions.AddPortMapping, out _, out string? error));
        Assert.Contains("HTTP 500 without a SOAP fault", error, StringComparison.Ordinal);
        Assert.False(SoapResponseParser.TryRead([], 500, UpnpActions.AddPortMapping, out _, out _));
    }

    [Fact]
    public void A_DTD_is_never_accepted_even_in_the_lenient_pass()
    {
        byte[] body = Encoding.UTF8.GetBytes("<!DOCTYPE x [<!ENTITY e \"11.22.33.44\">]><u:GetExternalIPAddressResponse><NewExternalIPAddress>&e;</NewExternalIPAddress></u:GetExternalIPAddressResponse>");
        Assert.False(SoapResponseParser.TryRead(body, 200, UpnpActions.GetExternalIPAddress, out _, out string? error));
        Assert.Contains("DTD", error, StringComparison.Ordinal);
        Assert.Null(UpnpExternalAddress.FromResponse(body, 200));
    }

    [Fact]
    public void Oversize_body_is_rejected()
    {
        Assert.False(SoapResponseParser.TryRead(new byte[SoapResponseParser.MaxBodyBytes + 1], 200, UpnpActions.GetStatusInfo, out _, out string? error));
        Assert.Contains("limit", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, UpnpErrorCode.InvalidAction)]
    [InlineData(402, UpnpErrorCode.InvalidArgs)]
    [InlineData(501, UpnpErrorCode.ActionFailed)]
    [InlineData(606, UpnpErrorCode.ActionNotAuthorized)]
    [InlineData(713, UpnpErrorCode.SpecifiedArrayIndexInvalid)]
    [InlineData(714, UpnpErrorCode.NoSuchEntryInArray)]
    [InlineData(715, UpnpErrorCode.WildCardNotPermittedInSrcIP)]
    [InlineData(716, UpnpErrorCode.WildCardNotPermittedInExtPort)]
    [InlineData(718, UpnpErrorCode.ConflictInMappingEntry)]
    [InlineData(724, UpnpErrorCode.SamePortValuesRequired)]
    [InlineData(725, UpnpErrorCode.OnlyPermanentLeasesSupported)]
    [InlineData(726, UpnpErrorCode.RemoteHostOnlySupportsWildcard)]
    [InlineData(727, UpnpErrorCode.ExternalPortOnlySupportsWildcard)]
    [InlineData(728, UpnpErrorCode.NoPortMapsAvailable)]
    [InlineData(729, UpnpErrorCode.ConflictWithOtherMechanisms)]
    [InlineData(732, UpnpErrorCode.WildCardNotPermittedInIntPort)]
    public void Every_listed_error_code_parses(int raw, UpnpErrorCode code)
    {
        SoapResponse r = Parse(Encoding.UTF8.GetBytes(FaultXml(raw.ToString(System.Globalization.CultureInfo.InvariantCulture))), 500, UpnpActions.AddPortMapping);
        Assert.Equal(code, r.Fault!.Code);
        Assert.Equal(raw, r.Fault.RawCode);
        Assert.Equal($"text {raw}", r.Fault.ErrorDescription);
    }

    [Theory]
    [InlineData("899", 899)]
    [InlineData(" 0 ", 0)]
    [InlineData("abc", null)]
    public void Unlisted_codes_are_Unknown_and_keep_the_raw_number(string text, int? raw)
    {
        SoapResponse r = Parse(Encoding.UTF8.GetBytes(FaultXml(text)), 500, UpnpActions.AddPortMapping);
        Assert.Equal(UpnpErrorCode.Unknown, r.Fault!.Code);
        Assert.Equal(raw, r.Fault.RawCode);
    }

    [Fact]
    public void Fault_elements_in_any_case_and_prefix_are_found()
    {
        const string xml = "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body><SOAP-ENV:FAULT><FAULTSTRING>UPnPError</FAULTSTRING><detail><e:UPnPError xmlns:e=\"urn:schemas-upnp-org:control-1-0\"><e:ERRORCODE>606</e:ERRORCODE><e:errordescription>Action not authorized</e:errordescription></e:UPnPError></detail></SOAP-ENV:FAULT></SOAP-ENV:Body></SOAP-ENV:Envelope>";
        SoapResponse r = Parse(Encoding.UTF8.GetBytes(xml), 500, UpnpActions.AddPortMapping);
        Assert.Equal(UpnpErrorCode.ActionNotAuthorized, r.Fault!.Code);
        Assert.Equal("Action not authorized", r.Fault.ErrorDescription);
    }

    [Fact]
    public void Fault_with_undeclared_prefix_is_found_in_the_lenient_pass()
    {
        const string xml = "<s:Envelope><s:Body><s:Fault><detail><UPnPError><errorCode>718</errorCode></UPnPError></detail></s:Fault></s:Body></s:Envelope>";
        Assert.Equal(UpnpErrorCode.ConflictInMappingEntry, Parse(Encoding.UTF8.GetBytes(xml), 500, UpnpActions.AddPortMapping).Fault!.Code);
    }

    [Fact]
    public void Only_direct_children_of_the_response_element_are_arguments()
    {
        const string xml = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><u:AddAnyPortMappingResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:2\"><NewReservedPort>50123</NewReservedPort></u:AddAnyPortMappingResponse><Other><NewReservedPort>1</NewReservedPort></Other></s:Body></s:Envelope>";
        SoapResponse r = Parse(Encoding.UTF8.GetBytes(xml), 200, UpnpActions.AddAnyPortMapping);
        Assert.True(UpnpArgumentReader.TryReadReservedPort(r.Arguments, out int port, out _));
        Assert.Equal(50123, port);
    }

    [Fact]
    public void Generic_entry_and_status_info_are_read()
    {
        const string generic = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><u:GetGenericPortMappingEntryResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\"><NewRemoteHost></NewRemoteHost><NewExternalPort>3074</NewExternalPort><NewProtocol>udp</NewProtocol><NewInternalPort>3075</NewInternalPort><NewInternalClient> 192.168.1.40 </NewInternalClient><NewEnabled>1</NewEnabled><NewPortMappingDescription>game</NewPortMappingDescription><NewLeaseDuration>3599</NewLeaseDuration></u:GetGenericPortMappingEntryResponse></s:Body></s:Envelope>";
        SoapResponse r = Parse(Encoding.UTF8.GetBytes(generic), 200, UpnpActions.GetGenericPortMappingEntry);
        Assert.True(UpnpArgumentReader.TryReadGenericEntry(r.Arguments, out PortMappingEntry? e, out string? error), error);
        Assert.Equal(new PortMappingEntry("", 3074, "UDP", 3075, "192.168.1.40", true, "game", 3599), e);

        const string status = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><u:GetStatusInfoResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\"><NewConnectionStatus>Connected</NewConnectionStatus><NewLastConnectionError>ERROR_NONE</NewLastConnectionError><NewUptime>86400</NewUptime></u:GetStatusInfoResponse></s:Body></s:Envelope>";
        UpnpStatusInfo info = UpnpArgumentReader.ReadStatusInfo(Parse(Encoding.UTF8.GetBytes(status), 200, UpnpActions.GetStatusInfo).Arguments);
        Assert.Equal(new UpnpStatusInfo("Connected", "ERROR_NONE", 86400), info);
        Assert.True(info.IsConnected);
    }

    [Theory]
    [InlineData("NewExternalPort", "0", "NewExternalPort '0' is not a port number")]
    [InlineData("NewExternalPort", "", "NewExternalPort is missing")]
    [InlineData("NewProtocol", "SCTP", "NewProtocol 'SCTP' is not TCP or UDP")]
    [InlineData("NewInternalPort", "70000", "NewInternalPort '70000' is not a port number")]
    [InlineData("NewInternalClient", " ", "NewInternalClient is missing or empty")]
    public void Bad_entry_values_are_reported(string name, string value, string reason)
    {
        var args = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["NewExternalPort"] = "80", ["NewProtocol"] = "TCP", ["NewInternalPort"] = "80", ["NewInternalClient"] = "10.0.0.2",
        };
        args[name] = value;
        Assert.False(UpnpArgumentReader.TryReadGenericEntry(args, out _, out string? error));
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
    }
}
