using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace PortDoctor.Checker;

/// <summary>The self-contained web page at <c>/</c>: no external assets, inline script and style allowed by a per-request CSP nonce.</summary>
internal static class WebPage
{
    // Japanese text stays readable in the page source instead of becoming numeric character references.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static IResult Render(HttpContext context)
    {
        PageText t = PageText.Choose(context.Request.Query["lang"].FirstOrDefault(), context.Request.Headers.AcceptLanguage.ToString());
        string address = ForwardedFor.Normalise(context.Connection.RemoteIpAddress ?? System.Net.IPAddress.None).ToString();
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        string nonce = Base64Url.EncodeToString(random);

        context.Response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.Vary = "Accept-Language";
        context.Response.Headers.ContentLanguage = t.Lang;
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Text(Build(t, address, nonce), "text/html; charset=utf-8");
    }

    private static readonly JavaScriptEncoder Js = JavaScriptEncoder.Create(UnicodeRanges.All);

    private static string E(string text) => Html.Encode(text);

    private static string J(string text) => Js.Encode(text);

    private static string Build(PageText t, string address, string nonce) => $$"""
        <!DOCTYPE html>
        <html lang="{{t.Lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(t.Title)}} - PortDoctor</title>
        <style nonce="{{nonce}}">
        body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; color: #222; }
        h1 { font-size: 1.5rem; }
        .ip { font-family: ui-monospace, monospace; font-size: 1.2rem; }
        input { font-size: 1.1rem; width: 8rem; padding: .2rem; }
        button { font-size: 1.1rem; padding: .2rem 1rem; }
        section { border-left: .4rem solid #999; padding: .2rem 1rem; margin-top: 1rem; }
        #r-open { border-color: #2a7; } #r-closed { border-color: #d80; } #r-filtered, #r-error { border-color: #c33; }
        .lang { float: right; }
        </style>
        </head>
        <body>
        <a class="lang" href="?lang={{t.OtherLang}}">{{E(t.OtherLanguage)}}</a>
        <h1>{{E(t.Title)}}</h1>
        <p>{{E(t.Intro)}}</p>
        <p>{{E(t.YourAddress)}}: <span class="ip" id="ip">{{E(address)}}</span></p>
        <form id="f">
        <label for="port">{{E(t.PortLabel)}}</label><br>
        <input id="port" name="port" type="number" min="1" max="65535" value="8080" required>
        <button type="submit" id="go">{{E(t.CheckButton)}}</button>
        </form>
        <p id="checking" hidden>{{E(t.Checking)}}</p>
        <section id="r-open" hidden><h2>{{E(t.OpenTitle)}}</h2><p>{{E(t.OpenMeaning)}}</p><p>{{E(t.OpenNext)}}</p><p class="rtt"></p></section>
        <section id="r-closed" hidden><h2>{{E(t.ClosedTitle)}}</h2><p>{{E(t.ClosedMeaning)}}</p><p>{{E(t.ClosedNext)}}</p></section>
        <section id="r-filtered" hidden><h2>{{E(t.FilteredTitle)}}</h2><p>{{E(t.FilteredMeaning)}}</p><p>{{E(t.FilteredNext)}}</p></section>
        <section id="r-error" hidden><h2>{{E(t.ErrorTitle)}}</h2><p id="error-text"></p></section>
        <p><small>{{E(t.UdpNote)}}</small></p>
        <script nonce="{{nonce}}">
        (function () {
          var ids = ['checking', 'r-open', 'r-closed', 'r-filtered', 'r-error'];
          function show(id) { ids.forEach(function (x) { document.getElementById(x).hidden = x !== id; }); }
          document.getElementById('f').addEventListener('submit', function (e) {
            e.preventDefault();
            var port = Number(document.getElementById('port').value);
            var button = document.getElementById('go');
            button.disabled = true;
            show('checking');
            fetch('api/v1/check', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ port: port, protocol: 'tcp' }) })
              .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
              .then(function (x) {
                if (x.ok && ['open', 'closed', 'filtered'].indexOf(x.body.state) >= 0) {
                  if (x.body.state === 'open' && x.body.rttMs != null) {
                    document.querySelector('#r-open .rtt').textContent = '{{J(t.Rtt)}}: ' + x.body.rttMs + ' ms';
                  }
                  show('r-' + x.body.state);
                } else {
                  document.getElementById('error-text').textContent = [x.body.detail, x.body.fix].filter(Boolean).join(' ');
                  show('r-error');
                }
              })
              .catch(function (err) { document.getElementById('error-text').textContent = String(err); show('r-error'); })
              .then(function () { button.disabled = false; });
          });
        })();
        </script>
        </body>
        </html>
        """;
}
