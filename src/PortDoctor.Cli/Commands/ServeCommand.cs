using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Hosting;
using PortDoctor.Checker;

namespace PortDoctor.Cli.Commands;

/// <summary><c>portdoctor serve</c>: run the outside checker service.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string[]>("--urls") { Description = "Addresses to listen on, e.g. http://0.0.0.0:8088 (repeatable).", AllowMultipleArgumentsPerToken = true, HelpName = "URL" };
        var allowPrivate = new Option<bool>("--allow-private") { Description = "Also probe private, loopback and CGNAT addresses (LAN use and tests only)." };
        var trustedProxy = new Option<string[]>("--trusted-proxy") { Description = "A reverse proxy (address or CIDR) whose X-Forwarded-For is believed (repeatable).", HelpName = "CIDR" };
        var logFull = new Option<bool>("--log-full-addresses") { Description = "Log whole client addresses at information level (default: masked)." };
        var command = new Command("serve", "Run the outside checker: an HTTP API and web page that connects back to the caller only.")
        {
            urls, allowPrivate, trustedProxy, logFull,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new CheckerOptions
            {
                AllowPrivate = parse.GetValue(allowPrivate),
                LogFullAddresses = parse.GetValue(logFull),
            };
            foreach (var u in parse.GetValue(urls) ?? [])
            {
                options.Urls.Add(u);
            }

            foreach (var p in parse.GetValue(trustedProxy) ?? [])
            {
                if (!IPNetwork.TryParse(p.Contains('/', StringComparison.Ordinal) ? p : p + (p.Contains(':', StringComparison.Ordinal) ? "/128" : "/32"), out var network))
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"portdoctor: --trusted-proxy '{p}' is not an address or CIDR block, for example 10.0.0.5 or 10.0.0.0/24.").ConfigureAwait(false);
                    return Core.Reports.ExitCodes.Usage;
                }

                options.TrustedProxies.Add(network);
            }

            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("portdoctor: " + ex.Message).ConfigureAwait(false);
                return Core.Reports.ExitCodes.Usage;
            }

            await using var app = CheckerServer.BuildApp(options);
            try
            {
                await app.StartAsync(ct).ConfigureAwait(false);
                await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"portdoctor: cannot listen: {ex.Message}. Pick another --urls port, or stop what uses it.").ConfigureAwait(false);
                return Core.Reports.ExitCodes.Environment;
            }

            return 0;
        });
        return command;
    }
}
