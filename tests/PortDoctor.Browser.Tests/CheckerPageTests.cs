using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using PortDoctor.Checker;

namespace PortDoctor.Browser.Tests;

/// <summary>The checker's web page in a real browser against the real server on 127.0.0.1.</summary>
public sealed class CheckerPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private static readonly Dictionary<string, (string Open, string Closed, string Error, string Label, string Button, string Checked)> Words = new()
    {
        ["ja"] = ("開いています", "閉じています", "確認できませんでした", "確認するポート番号", "確認する", "を確認しました"),
        ["en"] = ("Open", "Closed", "The check did not run", "Port to check", "Check", "Checked TCP port"),
    };

    private WebApplication? app;
    private string baseUrl = string.Empty;
    private TcpListener? listener;
    private IBrowserContext? context;

    private int OpenPort => ((IPEndPoint)listener!.LocalEndpoint).Port;

    public async ValueTask InitializeAsync()
    {
        if (fixture.SkipReason is not null)
        {
            return;
        }

        app = CheckerServer.BuildApp(new CheckerOptions { AllowPrivate = true, RateLimitPermits = 100 }, ["http://127.0.0.1:0"]);
        await app.StartAsync(TestContext.Current.CancellationToken);
        baseUrl = app.Urls.Single().TrimEnd('/') + "/";
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        context = await fixture.Browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 900, Height = 900 }, Locale = "en-US" });
        context.SetDefaultTimeout(15_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (context is not null)
        {
            await context.DisposeAsync();
        }

        listener?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private void SkipWithoutBrowser()
    {
        if (fixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static async Task<string> CheckAsync(IPage page, int port, string resultId)
    {
        await page.GetByRole(AriaRole.Spinbutton).FillAsync(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#go").ClickAsync();
        ILocator result = page.Locator("#" + resultId);
        await Assertions.Expect(result).ToBeVisibleAsync();
        return await result.InnerTextAsync();
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public async Task Open_then_closed_port_in_each_language(string lang)
    {
        SkipWithoutBrowser();
        var w = Words[lang];
        IPage page = await context!.NewPageAsync();
        await page.GotoAsync(baseUrl + "?lang=" + lang);
        Assert.Equal(lang, await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("127.0.0.1", await page.Locator("#ip").InnerTextAsync());

        string open = await CheckAsync(page, OpenPort, "r-open");
        Assert.Contains(w.Open, open, StringComparison.Ordinal);
        Assert.Contains(w.Checked, open, StringComparison.Ordinal);
        Assert.Contains(OpenPort.ToString(System.Globalization.CultureInfo.InvariantCulture), open, StringComparison.Ordinal);
        Assert.Contains(" ms", open, StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, $"checker-open-{lang}");

        string closed = await CheckAsync(page, ClosedPort(), "r-closed");
        Assert.Contains(w.Closed, closed, StringComparison.Ordinal);
        Assert.False(await page.Locator("#r-open").IsVisibleAsync());
        await Screenshots.SaveAsync(page, $"checker-closed-{lang}");
    }

    [Fact]
    public async Task Language_switch_link_changes_the_language_both_ways()
    {
        SkipWithoutBrowser();
        IPage page = await context!.NewPageAsync();
        await page.GotoAsync(baseUrl + "?lang=en");
        await page.GetByRole(AriaRole.Link, new() { Name = "日本語" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = Words["ja"].Button })).ToBeVisibleAsync();
        string open = await CheckAsync(page, OpenPort, "r-open");
        Assert.Contains(Words["ja"].Open, open, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = Words["en"].Button, Exact = true })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public async Task Keyboard_only_tab_type_enter_runs_a_check_and_moves_focus_to_the_result(string lang)
    {
        SkipWithoutBrowser();
        IPage page = await context!.NewPageAsync();
        await page.GotoAsync(baseUrl + "?lang=" + lang);

        // Tab from the top of the page until the port box has focus; it must be reachable in a few steps.
        int presses = 0;
        while (await page.EvaluateAsync<string>("document.activeElement && document.activeElement.id") != "port")
        {
            Assert.True(++presses <= 5, "the port box is not reachable with Tab");
            await page.Keyboard.PressAsync("Tab");
        }

        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(OpenPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#r-open")).ToBeVisibleAsync();
        Assert.Equal("r-open-h", await page.EvaluateAsync<string>("document.activeElement.id"));
        await Screenshots.SaveAsync(page, $"checker-keyboard-{lang}");
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public async Task Every_control_has_an_accessible_name_and_results_are_announced(string lang)
    {
        SkipWithoutBrowser();
        var w = Words[lang];
        IPage page = await context!.NewPageAsync();
        await page.GotoAsync(baseUrl + "?lang=" + lang);

        await Assertions.Expect(page.GetByLabel(w.Label)).ToHaveAttributeAsync("id", "port");
        int unlabeled = await page.EvaluateAsync<int>("""
            Array.from(document.querySelectorAll('input, select, textarea'))
              .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')).length
            """);
        Assert.Equal(0, unlabeled);
        Assert.Equal("status", await page.Locator("#result").GetAttributeAsync("role"));
        Assert.Equal("polite", await page.Locator("#result").GetAttributeAsync("aria-live"));
        Assert.NotNull(await page.Locator("#port").GetAttributeAsync("aria-describedby"));
    }

    [Theory]
    [InlineData("en", "private (LAN-side) address", "Too many checks")]
    [InlineData("ja", "プライベート", "確認が多すぎました")]
    public async Task Refused_and_limited_checks_explain_why_in_the_pages_language(string lang, string refusedText, string limitedText)
    {
        SkipWithoutBrowser();
        await using WebApplication strict = CheckerServer.BuildApp(new CheckerOptions { AllowPrivate = false, RateLimitPermits = 1 }, ["http://127.0.0.1:0"]);
        await strict.StartAsync(TestContext.Current.CancellationToken);
        IPage page = await context!.NewPageAsync();
        await page.GotoAsync(strict.Urls.Single().TrimEnd('/') + "/?lang=" + lang);
        string error = await CheckAsync(page, OpenPort, "r-error");
        Assert.Contains(Words[lang].Error, error, StringComparison.Ordinal);
        Assert.Contains(refusedText, error, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", error, StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, $"checker-refused-{lang}");

        await page.Locator("#go").ClickAsync();
        await Assertions.Expect(page.Locator("#r-error")).ToContainTextAsync(limitedText);
        await strict.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Out_of_range_port_is_stopped_in_the_page_without_a_request()
    {
        SkipWithoutBrowser();
        IPage page = await context!.NewPageAsync();
        int requests = 0;
        page.Request += (_, r) => { if (r.Url.Contains("api/v1/check", StringComparison.Ordinal)) { requests++; } };
        await page.GotoAsync(baseUrl + "?lang=en");
        await page.Locator("#port").FillAsync("70000");
        await page.Locator("#go").ClickAsync();
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(0, requests);
        Assert.False(await page.EvaluateAsync<bool>("document.getElementById('port').validity.valid"));
        Assert.True(await page.Locator("#r-open").IsHiddenAsync());
    }
}
