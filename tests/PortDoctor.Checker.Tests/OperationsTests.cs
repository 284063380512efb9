using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace PortDoctor.Checker.Tests;

/// <summary>OpenAPI document, logging, graceful shutdown.</summary>
public class OperationsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenApi_document_parses_and_lists_every_endpoint()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        using HttpResponseMessage response = await host.Http.GetAsync("openapi/v1.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        JsonElement root = doc.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal("PortDoctor checker", root.GetProperty("info").GetProperty("title").GetString());
        JsonElement paths = root.GetProperty("paths");

        // Every route the application maps (except the document itself) is described with its method.
        var routes = ((IEndpointRouteBuilder)host.App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText != "/openapi/{documentName}.json")
            .ToList();
        Assert.Equal(6, routes.Count);
        foreach (RouteEndpoint route in routes)
        {
            string path = route.RoutePattern.RawText!.Replace(":int", string.Empty, StringComparison.Ordinal);
            string method = route.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Single().ToLowerInvariant();
            Assert.True(paths.TryGetProperty(path, out JsonElement item), $"{path} is missing from the document");
            Assert.True(item.TryGetProperty(method, out _), $"{method} {path} is missing from the document");
        }

        JsonElement check = paths.GetProperty("/api/v1/check").GetProperty("post");
        Assert.True(check.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        foreach (string status in new[] { "200", "400", "403", "413", "415", "429", "503" })
        {
            Assert.True(check.GetProperty("responses").TryGetProperty(status, out _), $"check lacks response {status}");
        }

        JsonElement schemas = root.GetProperty("components").GetProperty("schemas");
        JsonElement checkResponse = schemas.GetProperty("CheckResponse").GetProperty("properties");
        foreach (string member in new[] { "ip", "port", "protocol", "state", "rttMs" })
        {
            Assert.True(checkResponse.TryGetProperty(member, out _), $"CheckResponse lacks {member}");
        }
    }

    [Fact]
    public async Task Info_logs_mask_client_addresses_unless_configured()
    {
        foreach (bool full in new[] { false, true })
        {
            var logs = new CapturingLoggerProvider();
            await using (CheckerHost host = await CheckerHost.StartAsync(o => o.LogFullAddresses = full, l => l.AddProvider(logs)))
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                using var content = new StringContent($$"""{"port":{{((IPEndPoint)listener.LocalEndpoint).Port}},"protocol":"tcp"}""", System.Text.Encoding.UTF8, "application/json");
                using HttpResponseMessage response = await host.Http.PostAsync("api/v1/check", content, Ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            CapturedLog probed = Assert.Single(logs.Entries, e => e.EventId.Id == 1);
            Assert.Equal(LogLevel.Information, probed.Level);
            Assert.Contains(probed.State, kv => kv.Key == "Target");
            Assert.Contains(probed.State, kv => kv.Key == "State");
            Assert.Contains(full ? "127.0.0.1" : "127.0.0.x", probed.Message, StringComparison.Ordinal);
            if (!full)
            {
                // Only the lines that name the server's own listening URL may hold a full address.
                IEnumerable<CapturedLog> aboutClients = logs.Entries.Where(e => e.Category != "Microsoft.Hosting.Lifetime" && e.EventId.Id != 6);
                Assert.DoesNotContain(aboutClients, e => e.Message.Contains("127.0.0.1", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task Shutdown_lets_a_probe_in_flight_finish()
    {
        CheckerHost host = await CheckerHost.StartAsync(o =>
        {
            o.ConnectTimeout = TimeSpan.FromMilliseconds(1500);
            o.ShutdownTimeout = TimeSpan.FromSeconds(8);
        });
        try
        {
            using BlackHolePort hole = await BlackHolePort.CreateAsync();
            using var content = new StringContent($$"""{"port":{{hole.Port}},"protocol":"tcp"}""", System.Text.Encoding.UTF8, "application/json");
            Task<HttpResponseMessage> inFlight = host.Http.PostAsync("api/v1/check", content, Ct);
            await WaitForAsync(() => host.Gauge.Current == 1);

            var stopping = Stopwatch.StartNew();
            await host.App.StopAsync(Ct);
            stopping.Stop();

            using HttpResponseMessage response = await inFlight;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("\"state\":\"filtered\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(6), $"stop took {stopping.Elapsed}");
            Assert.Equal(0, host.Gauge.Current);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Shutdown_cancels_a_probe_that_outlasts_the_shutdown_timeout()
    {
        CheckerHost host = await CheckerHost.StartAsync(o =>
        {
            o.ConnectTimeout = TimeSpan.FromSeconds(30);
            o.ShutdownTimeout = TimeSpan.FromSeconds(1);
        });
        try
        {
            using BlackHolePort hole = await BlackHolePort.CreateAsync();
            using var content = new StringContent($$"""{"port":{{hole.Port}},"protocol":"tcp"}""", System.Text.Encoding.UTF8, "application/json");
            Task<HttpResponseMessage> inFlight = host.Http.PostAsync("api/v1/check", content, Ct);
            await WaitForAsync(() => host.Gauge.Current == 1);

            var stopping = Stopwatch.StartNew();
            await host.App.StopAsync(Ct);
            stopping.Stop();

            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"stop took {stopping.Elapsed}");
            await WaitForAsync(() => host.Gauge.Current == 0);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => inFlight.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "condition not reached in 10 s");
            await Task.Delay(20, Ct);
        }
    }
}
