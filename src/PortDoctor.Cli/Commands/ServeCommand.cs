using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PortDoctor.Checker;
using PortDoctor.Core.Reports;

namespace PortDoctor.Cli.Commands;

/// <summary>
/// <c>portdoctor serve</c>: run the outside checker service. Settings come, later ones winning, from the
/// defaults, <c>--config FILE</c> (section "Checker"), <c>PORTDOCTOR_Checker__*</c> environment variables,
/// and the flags actually given (docs/checker.md).
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "A JSON settings file with a \"Checker\" section (see docs/checker.md).", HelpName = "FILE" };
        var urls = new Option<string[]>("--urls") { Description = "Addresses to listen on, e.g. http://0.0.0.0:8088 (repeatable).", AllowMultipleArgumentsPerToken = true, HelpName = "URL" };
        var allowPrivate = new Option<bool>("--allow-private") { Description = "Also probe private, loopback and CGNAT addresses (LAN use and tests only)." };
        var trustedProxy = new Option<string[]>("--trusted-proxy") { Description = "A reverse proxy (address or CIDR) whose X-Forwarded-For is believed (repeatable).", HelpName = "CIDR" };
        var logFull = new Option<bool>("--log-full-addresses") { Description = "Log whole client addresses at information level (default: masked)." };
        var redis = new Option<string?>("--redis") { Description = "Share per-address rate limits with other instances through this Redis (StackExchange.Redis connection string).", HelpName = "CONNECTION" };
        var command = new Command("serve", "Run the outside checker: an HTTP API and web page that connects back to the caller only.")
        {
            config, urls, allowPrivate, trustedProxy, logFull, redis,
        };
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var flags = new ServeFlags(
                parse.GetValue(config),
                parse.GetValue(urls) ?? [],
                parse.GetValue(trustedProxy) ?? [],
                parse.GetResult(allowPrivate) is { Implicit: false } ? parse.GetValue(allowPrivate) : null,
                parse.GetResult(logFull) is { Implicit: false } ? parse.GetValue(logFull) : null,
                parse.GetValue(redis));
            if (!flags.TryBuild(out var options, out var errors))
            {
                foreach (var e in errors)
                {
                    await error.WriteLineAsync("portdoctor: " + e).ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            // A failed start (port in use) is reported below in one line; the host's own error entry would add a stack trace.
            await using var app = CheckerServer.BuildApp(options, logging: l => l.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical));
            try
            {
                await app.StartAsync(ct).ConfigureAwait(false);
                await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await error.WriteLineAsync($"portdoctor: cannot listen: {ex.Message}. Pick another --urls port, or stop what uses it.").ConfigureAwait(false);
                return ExitCodes.Environment;
            }

            return 0;
        });
        return command;
    }
}
