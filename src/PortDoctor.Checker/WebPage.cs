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

    // Encodes text for HTML, then shows `command` spans as <code>: the texts name commands the reader types.
    private static string Rich(string text)
    {
        string[] parts = text.Split('`');
        var html = new System.Text.StringBuilder();
        for (int i = 0; i < parts.Length; i++)
        {
            html.Append(i % 2 == 1 ? "<code>" + E(parts[i]) + "</code>" : E(parts[i]));
        }

        return html.ToString();
    }

    private static string Result(string id, string title, string meaning, string next, PageText t, bool rtt = false) => $$"""
        <section id="{{id}}" class="result" hidden aria-labelledby="{{id}}-h">
        <h2 id="{{id}}-h" tabindex="-1">{{E(title)}}</h2>
        <p class="checked"></p>
        <h3>{{E(t.MeaningLabel)}}</h3><p>{{Rich(meaning)}}</p>
        <h3>{{E(t.NextLabel)}}</h3><p>{{Rich(next)}}</p>{{(rtt ? "\n<p class=\"rtt\"></p>" : string.Empty)}}
        </section>
        """;

    private static string Build(PageText t, string address, string nonce) => $$"""
        <!DOCTYPE html>
        <html lang="{{t.Lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(t.Title)}} - PortDoctor</title>
        <style nonce="{{nonce}}">
        :root { color-scheme: light; }
        body { font-family: system-ui, "Noto Sans CJK JP", "Noto Sans JP", sans-serif; max-width: 42rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; line-height: 1.7; color: #1d2430; background: #f6f7f9; }
        header { display: flex; align-items: baseline; justify-content: space-between; gap: 1rem; }
        h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
        h2 { font-size: 1.25rem; margin: 0 0 .25rem; }
        h3 { font-size: .95rem; margin: .75rem 0 0; color: #4a5261; }
        h3 + p { margin-top: .1rem; }
        .card { background: #fff; border: 1px solid #d9dde3; border-radius: .5rem; padding: 1rem 1.25rem; margin: 1rem 0; }
        .card p:first-child { margin-top: 0; }
        .ip { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 1.3rem; font-weight: 600; }
        label { font-weight: 600; display: block; }
        .hint { color: #4a5261; font-size: .9rem; margin: 0 0 .4rem; }
        .row { display: flex; gap: .5rem; flex-wrap: wrap; }
        input { font-size: 1.15rem; width: 9rem; padding: .35rem .5rem; border: 1px solid #8a93a2; border-radius: .3rem; }
        button { font-size: 1.1rem; padding: .35rem 1.4rem; border: 0; border-radius: .3rem; background: #1f5fbf; color: #fff; cursor: pointer; }
        button:disabled { background: #8a93a2; cursor: progress; }
        input:focus-visible, button:focus-visible, a:focus-visible, h2:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
        .result { background: #fff; border: 1px solid #d9dde3; border-left: .5rem solid #8a93a2; border-radius: .5rem; padding: .75rem 1.25rem; margin: 1rem 0; }
        #r-open { border-left-color: #1e8a4c; } #r-open h2 { color: #166b3a; }
        #r-closed { border-left-color: #c46a00; } #r-closed h2 { color: #8f4d00; }
        #r-filtered, #r-error { border-left-color: #c0392b; } #r-filtered h2, #r-error h2 { color: #a12d21; }
        .checked, .rtt { color: #4a5261; font-size: .9rem; margin: 0; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; background: #eef0f3; padding: 0 .25rem; border-radius: .2rem; font-size: .9em; }
        a { color: #1f5fbf; }
        small { color: #4a5261; }
        </style>
        </head>
        <body>
        <header>
        <h1>{{E(t.Title)}}</h1>
        <nav><a id="lang" href="?lang={{t.OtherLang}}" hreflang="{{t.OtherLang}}" lang="{{t.OtherLang}}">{{E(t.OtherLanguage)}}</a></nav>
        </header>
        <main>
        <p>{{E(t.Intro)}}</p>
        <div class="card">
        <p>{{E(t.YourAddress)}}: <span class="ip" id="ip">{{E(address)}}</span></p>
        <form id="f" novalidate>
        <label for="port">{{E(t.PortLabel)}}</label>
        <p class="hint" id="port-hint">{{E(t.PortHint)}}</p>
        <div class="row">
        <input id="port" name="port" type="number" inputmode="numeric" min="1" max="65535" value="8080" required aria-describedby="port-hint" autocomplete="off">
        <button type="submit" id="go">{{E(t.CheckButton)}}</button>
        </div>
        </form>
        </div>
        <div id="result" role="status" aria-live="polite">
        <p id="checking" hidden>{{E(t.Checking)}}</p>
        {{Result("r-open", t.OpenTitle, t.OpenMeaning, t.OpenNext, t, rtt: true)}}
        {{Result("r-closed", t.ClosedTitle, t.ClosedMeaning, t.ClosedNext, t)}}
        {{Result("r-filtered", t.FilteredTitle, t.FilteredMeaning, t.FilteredNext, t)}}
        <section id="r-error" class="result" hidden aria-labelledby="r-error-h"><h2 id="r-error-h" tabindex="-1">{{E(t.ErrorTitle)}}</h2><p id="error-text"></p><p id="error-fix"></p></section>
        </div>
        <p><small>{{Rich(t.UdpNote)}}</small></p>
        </main>
        <script nonce="{{nonce}}">
        (function () {
          var ids = ['checking', 'r-open', 'r-closed', 'r-filtered', 'r-error'];
          var checkedLine = '{{J(t.CheckedLine)}}';
          var refused = '{{J(t.RefusedText)}}', limited = '{{J(t.LimitedText)}}', busy = '{{J(t.BusyText)}}';
          function show(id) {
            ids.forEach(function (x) { document.getElementById(x).hidden = x !== id; });
            var heading = document.getElementById(id + '-h');
            if (heading) { heading.focus(); }
          }
          function fail(detail, fix) {
            document.getElementById('error-text').textContent = detail || '';
            document.getElementById('error-fix').textContent = fix || '';
            show('r-error');
          }
          document.getElementById('f').addEventListener('submit', function (e) {
            e.preventDefault();
            var input = document.getElementById('port');
            var port = Number(input.value);
            if (!input.checkValidity() || !Number.isInteger(port)) {
              input.reportValidity();
              return;
            }
            var button = document.getElementById('go');
            button.disabled = true;
            show('checking');
            fetch('api/v1/check', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ port: port, protocol: 'tcp' }) })
              .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, status: r.status, wait: r.headers.get('Retry-After'), body: b }; }); })
              .then(function (x) {
                if (x.ok && ['open', 'closed', 'filtered'].indexOf(x.body.state) >= 0) {
                  var section = document.getElementById('r-' + x.body.state);
                  section.querySelector('.checked').textContent = checkedLine.replace('{ip}', x.body.ip).replace('{port}', String(x.body.port));
                  var rtt = section.querySelector('.rtt');
                  if (rtt) { rtt.textContent = x.body.rttMs != null ? '{{J(t.Rtt)}}: ' + x.body.rttMs + ' ms' : ''; }
                  show('r-' + x.body.state);
                } else if (x.status === 403) {
                  fail(refused.replace('{ip}', document.getElementById('ip').textContent), '');
                } else if (x.status === 429 || x.status === 503) {
                  fail((x.status === 429 ? limited : busy).replace('{s}', x.wait || '60'), '');
                } else {
                  fail(x.body.detail, x.body.fix);
                }
              })
              .catch(function () { fail('{{J(t.NetworkError)}}', ''); })
              .then(function () { button.disabled = false; });
          });
        })();
        </script>
        </body>
        </html>
        """;
}
