using System.Net;
using PortDoctor.Core.Mapping;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Upnp;

/// <summary>
/// Invokes WANIPConnection/WANPPPConnection actions on one control URL (UDA 1.1 §3.2). Router faults and
/// unusable answers come back as data in <see cref="UpnpCallResult{T}"/>. Every call has its own timeout:
/// when it elapses a <see cref="TimeoutException"/> is thrown; the caller's cancellation is rethrown as is.
/// Connection failures surface as <see cref="HttpRequestException"/>.
/// </summary>
internal sealed class UpnpIgdClient
{
    /// <summary>GetExternalIPAddress: a table read; miniupnpd answers in milliseconds, 3 s still fits slow SoCs busy with traffic.</summary>
    public static readonly TimeSpan GetExternalIPAddressTimeout = TimeSpan.FromSeconds(3);

    /// <summary>GetStatusInfo: a table read, same reasoning as <see cref="GetExternalIPAddressTimeout"/>.</summary>
    public static readonly TimeSpan GetStatusInfoTimeout = TimeSpan.FromSeconds(3);

    /// <summary>AddPortMapping: some routers rewrite NAT and firewall tables before answering (seconds on DSL boxes), so 5 s.</summary>
    public static readonly TimeSpan AddPortMappingTimeout = TimeSpan.FromSeconds(5);

    /// <summary>AddAnyPortMapping: like AddPortMapping plus a search for a free port, so 5 s.</summary>
    public static readonly TimeSpan AddAnyPortMappingTimeout = TimeSpan.FromSeconds(5);

    /// <summary>GetSpecificPortMappingEntry: a lookup, 3 s as for other reads.</summary>
    public static readonly TimeSpan GetSpecificPortMappingEntryTimeout = TimeSpan.FromSeconds(3);

    /// <summary>GetGenericPortMappingEntry: a lookup, but listing calls it up to 256 times, so keep each short: 2 s.</summary>
    public static readonly TimeSpan GetGenericPortMappingEntryTimeout = TimeSpan.FromSeconds(2);

    /// <summary>DeletePortMapping: rewrites tables like AddPortMapping, so 5 s; `close` must not give up early.</summary>
    public static readonly TimeSpan DeletePortMappingTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The largest answer body read, in bytes (same cap as the parser).</summary>
    public const int MaxResponseBytes = SoapResponseParser.MaxBodyBytes;

    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    /// <summary>Creates a client for one service.</summary>
    /// <param name="http">The HTTP client; for real use build it on <see cref="UpnpHttp.CreateHandler"/> (no proxy, no redirects).</param>
    /// <param name="controlUrl">The absolute control URL of the service.</param>
    /// <param name="serviceType">The service type URN as the description spells it.</param>
    /// <param name="timeProvider">Clock for the timeouts; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public UpnpIgdClient(HttpClient http, Uri controlUrl, string serviceType, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(controlUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceType);
        _http = http;
        ControlUrl = controlUrl;
        ServiceType = serviceType;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The control URL requests go to.</summary>
    public Uri ControlUrl { get; }

    /// <summary>The service type used in SOAPAction and the action element's namespace.</summary>
    public string ServiceType { get; }

    /// <summary>GetExternalIPAddress.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The address; Value null when the router sent an unusable value (empty, 0.0.0.0, garbage: docs/quirks.md#Q-EXTERNAL-IP-USELESS).</returns>
    /// <exception cref="TimeoutException">No answer within <see cref="GetExternalIPAddressTimeout"/>.</exception>
    /// <exception cref="HttpRequestException">The connection failed.</exception>
    public async Task<UpnpCallResult<IPAddress?>> GetExternalIPAddressAsync(CancellationToken cancellationToken)
    {
        (SoapResponse? response, UpnpCallResult<IPAddress?>? failure, int status) = await InvokeAsync<IPAddress?>(SoapRequestBuilder.GetExternalIPAddress(ServiceType), GetExternalIPAddressTimeout, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            // docs/quirks.md#Q-EXTERNAL-IP-USELESS: a garbage body means "unknown", not an error to show.
            return failure!.Fault is null ? new UpnpCallResult<IPAddress?> { HttpStatus = status } : failure;
        }

        response.Arguments.TryGetValue("NewExternalIPAddress", out string? text);
        return new UpnpCallResult<IPAddress?> { Value = UpnpExternalAddress.Interpret(text), Repairs = response.Repairs, HttpStatus = status };
    }

    /// <summary>GetStatusInfo.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection status.</returns>
    /// <exception cref="TimeoutException">No answer within <see cref="GetStatusInfoTimeout"/>.</exception>
    /// <exception cref="HttpRequestException">The connection failed.</exception>
    public async Task<UpnpCallResult<UpnpStatusInfo>> GetStatusInfoAsync(CancellationToken cancellationToken)
    {
        (SoapResponse? response, UpnpCallResult<UpnpStatusInfo>? failure, int status) = await InvokeAsync<UpnpStatusInfo>(SoapRequestBuilder.GetStatusInfo(ServiceType), GetStatusInfoTimeout, cancellationToken).ConfigureAwait(false);
        return response is null ? failure! : new UpnpCallResult<UpnpStatusInfo> { Value = UpnpArgumentReader.ReadStatusInfo(response.Arguments), Repairs = response.Repairs, HttpStatus = status };
    }

    /// <summary>AddPortMapping (no out-arguments: HTTP 200 without a fault is success).</summary>
    /// <param name="entry">The mapping to add.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Value true on success.</returns>
    /// <exception cref="TimeoutException">No answer within <see cref="AddPortMappingTimeout"/>.</exception>
    /// <exception cref="HttpRequestException">The connection failed.</exception>
    public Task<UpnpCallResult<bool>> AddPortMappingAsync(PortMappingEntry entry, CancellationToken cancellationToken) =>
        InvokeWithoutOutArgumentsAsync(SoapRequestBuilder.AddPortMapping(ServiceType, entry), AddPortMappingTimeout, cancellationToken);

    /// <summary>AddAnyPortMapping (IGD:2 WANIPConnection:2 §2.5.16).</summary>
    /// <param name="entry">The mapping; ExternalPort is the wanted port.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The external port the router reserved.</returns>
    /// <exception cref="TimeoutException">No answer within <see cref="AddAnyPortMappingTimeout"/>.</exception>
    /// <exception cref="HttpRequestException">The connection failed.</exception>
    public async Task<UpnpCallResult<int>> AddAnyPortMappingAsync(PortMappingEntry entry, CancellationToken cancellationToken)
    {
        (SoapResponse? response, UpnpCallResult<int>? failure, int status) = await InvokeAsync<int>(SoapRequestBuilder.AddAnyPortMapping(ServiceType, entry), AddAnyPortMappingTimeout, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return failure!;
        }

        return UpnpArgumentReader.TryReadReservedPort(response.Arguments, out int port, out string? error)
            ? new UpnpCallResult<int> { Value = port, Repairs = response.Repairs, HttpStatus = status }
            : new UpnpCallResult<int> { Error = $"AddAnyPortMapping answer: {error}", HttpStatus = status };
    }

    /// <summary>GetSpecificPortMappingEntry for any remote host.</summary>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="externalPort">1–65535.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry; fault 714 NoSuchEntryInArray when there is none.</returns>
    /// <exception cref="TimeoutException">No answer within <see cref="GetSpecificPortMappingEntryTimeout"/>.</exception>
    /// <exception cref="HttpRequestException">The connection failed.</exception>
    public async Task<UpnpCallResult<PortMappingEntry>> GetSpecificPortMappingEntryAsync(TransportProtocol protocol, int externalPort, CancellationToken cancellationToken)
    {
        string proto = protocol.ToUpnp();
        (SoapResponse? response, UpnpCallResult<PortMappingEntry>? failure, int status) = await InvokeAsync<PortMappingEntry>(SoapRequestBuilder.GetSpecificPortMappingEntry(ServiceType, string.Empty, externalPort, proto), GetSpecificPortMappingEntryTimeout, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return failure!;
        }

        return UpnpArgumentReader.TryReadSpecificEntry(response.Arguments, string.Empty, externalPort, proto, out PortMappingEntry? entry, out string? error)
            ? new UpnpCallResult<PortMappingEntry> { Value = entry, Repairs = response.Repairs, HttpStatus = status }
            : new UpnpCallResult<PortMappingEntry> { Error = $"GetSpecificPortMappingEntry answer: {error}", HttpStatus = status };
    }

    /// <summary>GetGenericPortMappingEntry.</summary>
    /// <param name="index">The table index, 0–65535.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry; fault 713 (or 714 on some routers) past the end of the table.</returns>
    /// <exception cref="TimeoutException">No answer within <see cref="GetGenericPortMappingEntryTimeout"/>.</exception>
    /// <exception cref="HttpRequestException">The connection failed.</exception>
    public async Task<UpnpCallResult<PortMappingEntry>> GetGenericPortMappingEntryAsync(int index, CancellationToken cancellationToken)
    {
        (SoapResponse? response, UpnpCallResult<PortMappingEntry>? failure, int status) = await InvokeAsync<PortMappingEntry>(SoapRequestBuilder.GetGenericPortMappingEntry(ServiceType, index), GetGenericPortMappingEntryTimeout, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return failure!;
        }

        return UpnpArgumentReader.TryReadGenericEntry(response.Arguments, out PortMappingEntry? entry, out string? error)
            ? new UpnpCallResult<PortMappingEntry> { Value = entry, Repairs = response.Repairs, HttpStatus = status }
            : new UpnpCallResult<PortMappingEntry> { Error = $"GetGenericPortMappingEntry answer: {error}", HttpStatus = status };
    }

    /// <summary>DeletePortMapping for any remote host (no out-arguments).</summary>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="externalPort">1–65535.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Value true on success; fault 714 when the mapping was already gone.</returns>
    /// <exception cref="TimeoutException">No answer within <see cref="DeletePortMappingTimeout"/>.</exception>
    /// <exception cref="HttpRequestException">The connection failed.</exception>
    public Task<UpnpCallResult<bool>> DeletePortMappingAsync(TransportProtocol protocol, int externalPort, CancellationToken cancellationToken) =>
        InvokeWithoutOutArgumentsAsync(SoapRequestBuilder.DeletePortMapping(ServiceType, string.Empty, externalPort, protocol.ToUpnp()), DeletePortMappingTimeout, cancellationToken);

    private async Task<UpnpCallResult<bool>> InvokeWithoutOutArgumentsAsync(SoapRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        (SoapResponse? response, UpnpCallResult<bool>? failure, int status) = await InvokeAsync<bool>(request, timeout, cancellationToken).ConfigureAwait(false);
        return response is null ? failure! : new UpnpCallResult<bool> { Value = true, Repairs = response.Repairs, HttpStatus = status };
    }

    /// <summary>Sends one request; returns the successful response, or a failure result (fault or error).</summary>
    private async Task<(SoapResponse? Response, UpnpCallResult<T>? Failure, int Status)> InvokeAsync<T>(SoapRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, ControlUrl);
            message.Content = new ReadOnlyMemoryContent(request.Body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", SoapRequest.ContentType);
            message.Headers.TryAddWithoutValidation(SoapRequest.SoapActionHeaderName, request.SoapActionHeader);
            using HttpResponseMessage answer = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            int status = (int)answer.StatusCode;
            byte[]? body = await UpnpHttp.ReadBoundedAsync(answer.Content, MaxResponseBytes, linked.Token).ConfigureAwait(false);
            if (body is null)
            {
                return (null, new UpnpCallResult<T> { Error = $"the {request.Action} answer is larger than {MaxResponseBytes} bytes", HttpStatus = status }, status);
            }

            if (!SoapResponseParser.TryRead(body, status, request.Action, out SoapResponse? response, out string? error))
            {
                return (null, new UpnpCallResult<T> { Error = error, HttpStatus = status }, status);
            }

            if (response.Fault is not null)
            {
                return (null, new UpnpCallResult<T> { Fault = response.Fault, Repairs = response.Repairs, HttpStatus = status }, status);
            }

            return (response, null, status);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeoutSource.IsCancellationRequested)
        {
            throw new TimeoutException($"The router did not answer {request.Action} at {ControlUrl} within {timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested && ex.CancellationToken != cancellationToken)
        {
            // Surface the caller's own token, not our linked one, so `when (ex.CancellationToken == ct)` filters work.
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
    }
}
