using System.Net;
using System.Net.Sockets;

namespace PortDoctor.Checker.Tests;

/// <summary>Byte-exact compatible formats, health, and the web page.</summary>
public class CompatAndPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Transmission_format_answers_exactly_1_or_0()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int open = ((IPEndPoint)listener.LocalEndpoint).Port;

        using HttpResponseMessage yes = await host.Http.GetAsync(open.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct);
        using HttpResponseMessage no = await host.Http.GetAsync(TestNet.FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture), Ct);

        Assert.Equal("1"u8.ToArray(), await yes.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("0"u8.ToArray(), await no.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("text/plain", yes.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Echoip_format_answers_its_json_exactly()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int open = ((IPEndPoint)listener.LocalEndpoint).Port;
        int closed = TestNet.FreeTcpPort();

        string yes = await host.Http.GetStringAsync($"port/{open}", Ct);
        string no = await host.Http.GetStringAsync($"port/{closed}", Ct);

        Assert.Equal($$"""{"ip":"127.0.0.1","port":{{open}},"reachable":true}""", yes);
        Assert.Equal($$"""{"ip":"127.0.0.1","port":{{closed}},"reachable":false}""", no);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("port/0")]
    [InlineData("port/70000")]
    public async Task Compat_endpoints_refuse_out_of_range_ports(string path)
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        using HttpResponseMessage response = await host.Http.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"field\":\"port\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_answers_ok()
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        using HttpResponseMessage response = await host.Http.GetAsync("healthz", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("ja,en;q=0.5", null, "ja", "ポート開放チェック")]
    [InlineData("en-US,ja;q=0.9", null, "en", "Port check")]
    [InlineData("fr, ja;q=0.3", null, "ja", "確認する")]
    [InlineData("ja", "en", "en", "Check")]
    [InlineData("en", "ja", "ja", "フィルタされています")]
    [InlineData(null, null, "en", "No answer (filtered)")]
    public async Task Page_picks_the_language_and_shows_the_callers_address(string? acceptLanguage, string? lang, string expectedLang, string expectedText)
    {
        await using CheckerHost host = await CheckerHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, lang is null ? "" : $"?lang={lang}");
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using HttpResponseMessage response = await host.Http.SendAsync(request, Ct);
        string html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<html lang=\"{expectedLang}\">", html, StringComparison.Ordinal);
        Assert.Contains(expectedText, html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"ip\" id=\"ip\">127.0.0.1</span>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"port\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
        string csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none'", csp, StringComparison.Ordinal);
    }
}
