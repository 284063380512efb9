using System.Net;
using System.Text;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Upnp;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Tests.Upnp;

/// <summary>Router answers that are not well-formed still drive the client and the mapper (docs/quirks.md:
/// lenient reading of SOAP answers), and the repair is reported on the result.</summary>
public sealed class UpnpLenientAnswersTests : IAsyncDisposable
{
    private readonly FakeIgdServer _igd = new();
    private readonly HttpClient _http = new(UpnpHttp.CreateHandler());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Upnp", name));

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _igd.DisposeAsync();
    }

    private UpnpIgdClient Client => new(_http, _igd.ControlUrl, _igd.ServiceType);

    [Fact]
    public async Task A_cut_short_725_fault_is_still_a_725_and_says_it_was_repaired()
    {
        _igd.Override = r => r.Action == UpnpActions.AddPortMapping ? new FakeIgdAnswer(500, Fixture("mikrotik-fault-725-cut-short.xml")) : null;
        var entry = new PortMappingEntry("", 8080, "TCP", 8080, "192.168.1.10", true, "PortDoctor", 3600);

        UpnpCallResult<bool> result = await Client.AddPortMappingAsync(entry, Ct);

        Assert.True(result.IsFault(UpnpErrorCode.OnlyPermanentLeasesSupported), result.Describe());
        Assert.Equal(SoapRepairs.FaultRecovered, result.Repairs);
        Assert.Equal(500, result.HttpStatus);
    }

    [Fact]
    public async Task The_lease_retry_runs_on_a_725_fault_that_is_not_well_formed()
    {
        _igd.Override = r => r.Action == UpnpActions.AddPortMapping && r.Arguments["NewLeaseDuration"] != "0"
            ? new FakeIgdAnswer(500, Fixture("mikrotik-fault-725-cut-short.xml"))
            : null;
        var mapper = new UpnpPortMapper(Client, IPAddress.Parse("192.168.1.1"), "MikroTik", false, new Uri("http://192.168.1.1:2828/rootDesc.xml"));

        MappingOutcome outcome = await mapper.MapAsync(new MappingRequest(TransportProtocol.Tcp, 8080, IPAddress.Parse("192.168.1.10"), 8080, TimeSpan.FromHours(1), "PortDoctor"), Ct);

        Assert.True(outcome.Succeeded);
        Assert.Equal(["3600", "0"], _igd.Of(UpnpActions.AddPortMapping).Select(r => r.Arguments["NewLeaseDuration"]));
        Assert.Equal(TimeSpan.Zero, outcome.Record!.Lease);
    }

    [Fact]
    public async Task An_address_written_directly_in_the_response_element_is_read()
    {
        _igd.Override = r => r.Action == UpnpActions.GetExternalIPAddress ? new FakeIgdAnswer(200, Fixture("external-ip-bare-value.xml")) : null;

        UpnpCallResult<IPAddress?> result = await Client.GetExternalIPAddressAsync(Ct);

        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal(IPAddress.Parse("81.2.69.160"), result.Value);
        Assert.Equal(SoapRepairs.BareValue, result.Repairs);
    }

    [Fact]
    public async Task A_conforming_answer_reports_no_repair()
    {
        UpnpCallResult<IPAddress?> result = await Client.GetExternalIPAddressAsync(Ct);

        Assert.Equal(IPAddress.Parse(_igd.ExternalAddress), result.Value);
        Assert.Equal(SoapRepairs.None, result.Repairs);
    }

    [Fact]
    public async Task A_broken_body_without_fault_or_response_stays_an_error()
    {
        _igd.Override = r => r.Action == UpnpActions.AddPortMapping ? new FakeIgdAnswer(500, Encoding.UTF8.GetBytes("<html><body>Internal error</body")) : null;
        var entry = new PortMappingEntry("", 8080, "TCP", 8080, "192.168.1.10", true, "PortDoctor", 3600);

        UpnpCallResult<bool> result = await Client.AddPortMappingAsync(entry, Ct);

        Assert.False(result.Succeeded);
        Assert.Null(result.Fault);
        Assert.NotNull(result.Error);
    }
}
