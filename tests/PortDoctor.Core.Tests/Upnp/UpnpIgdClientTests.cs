using Microsoft.Extensions.Time.Testing;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Upnp;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Tests.Upnp;

public sealed class UpnpIgdClientTests : IAsyncDisposable
{
    private readonly FakeIgdServer _igd = new();
    private readonly HttpClient _http = new(UpnpHttp.CreateHandler());

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _igd.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task WaitForRequestAsync(FakeIgdServer igd)
    {
        for (int i = 0; i < 500 && igd.Requests.IsEmpty; i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.False(igd.Requests.IsEmpty, "the request never reached the fake router");
    }

    [Fact]
    public async Task Internal_timeout_becomes_TimeoutException()
    {
        _igd.Hang = true;
        var time = new FakeTimeProvider();
        var client = new UpnpIgdClient(_http, _igd.ControlUrl, _igd.ServiceType, time);
        Task call = client.AddPortMappingAsync(new PortMappingEntry("", 80, "TCP", 80, "10.0.0.2", true, "", 0), Ct);
        await WaitForRequestAsync(_igd);
        time.Advance(UpnpIgdClient.AddPortMappingTimeout);
        TimeoutException ex = await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Contains("AddPortMapping", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_cancellation_is_rethrown_not_turned_into_a_timeout()
    {
        _igd.Hang = true;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var client = new UpnpIgdClient(_http, _igd.ControlUrl, _igd.ServiceType, new FakeTimeProvider());
        Task call = client.GetExternalIPAddressAsync(cts.Token);
        await WaitForRequestAsync(_igd);
        await cts.CancelAsync();
        OperationCanceledException ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Fact]
    public async Task Oversize_answer_is_an_error_not_an_exception()
    {
        _igd.Override = r => new FakeIgdAnswer(200, new byte[UpnpIgdClient.MaxResponseBytes + 10]);
        UpnpCallResult<PortMappingEntry> result = await new UpnpIgdClient(_http, _igd.ControlUrl, _igd.ServiceType).GetSpecificPortMappingEntryAsync(TransportProtocol.Tcp, 80, Ct);
        Assert.False(result.Succeeded);
        Assert.Contains("larger than", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fault_comes_back_as_data_with_http_500()
    {
        _igd.ScriptFault(UpnpActions.DeletePortMapping, 714);
        UpnpCallResult<bool> result = await new UpnpIgdClient(_http, _igd.ControlUrl, _igd.ServiceType).DeletePortMappingAsync(TransportProtocol.Udp, 9, Ct);
        Assert.True(result.IsFault(UpnpErrorCode.NoSuchEntryInArray));
        Assert.Equal(500, result.HttpStatus);
        FakeIgdRequest sent = Assert.Single(_igd.Requests);
        Assert.Equal("UDP", sent.Arguments["NewProtocol"]);
    }

    [Fact]
    public async Task Status_info_is_read()
    {
        _igd.Override = r => r.Action == UpnpActions.GetStatusInfo ? _igd.Ok(r.Action, ("NewConnectionStatus", "Connected"), ("NewLastConnectionError", "ERROR_NONE"), ("NewUptime", "42")) : null;
        UpnpCallResult<UpnpStatusInfo> result = await new UpnpIgdClient(_http, _igd.ControlUrl, _igd.ServiceType).GetStatusInfoAsync(Ct);
        Assert.Equal(42, result.Value!.UptimeSeconds);
        Assert.True(result.Value.IsConnected);
    }

    [Fact]
    public async Task Request_has_content_type_and_post_method()
    {
        await new UpnpIgdClient(_http, _igd.ControlUrl, _igd.ServiceType).GetExternalIPAddressAsync(Ct);
        FakeIgdRequest sent = Assert.Single(_igd.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/ctl/IPConn", sent.Path);
        Assert.Equal("text/xml; charset=\"utf-8\"", sent.ContentType);
    }
}
