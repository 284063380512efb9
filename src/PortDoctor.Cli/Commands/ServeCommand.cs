using System.CommandLine;
using System.Globalization;
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
            string section = CheckerConfiguration.SectionName;
            var overrides = new List<KeyValuePair<string, string?>>();
            var urlValues = parse.GetValue(urls) ?? [];
            for (int i = 0; i < urlValues.Length; i++)
            {
                overrides.Add(new($"{section}:Urls:{i.ToString(CultureInfo.InvariantCulture)}", urlValues[i]));
            }

            var proxies = parse.GetValue(trustedProxy) ?? [];
            for (int i = 0; i < proxies.Length; i++)
            {
                if (!CheckerConfiguration.TryParseNetwork(proxies[i], out _, out var proxyError))
                {
                    await error.WriteLineAsync($"portdoctor: --trusted-proxy: {proxyError}").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                overrides.Add(new($"{section}:TrustedProxies:{i.ToString(CultureInfo.InvariantCulture)}", proxies[i]));
            }

            if (parse.GetResult(allowPrivate) is { Implicit: false })
            {
                overrides.Add(new($"{section}:AllowPrivate", parse.GetValue(allowPrivate) ? "true" : "false"));
            }

            if (parse.GetResult(logFull) is { Implicit: false })
            {
                overrides.Add(new($"{section}:LogFullAddresses", parse.GetValue(logFull) ? "true" : "false"));
            }

            if (parse.GetValue(redis) is string redisValue)
            {
                if (string.IsNullOrWhiteSpace(redisValue))
                {
                    await error.WriteLineAsync("portdoctor: --redis: the connection string is empty. Give one such as redis.internal:6379, or leave the option out to count in memory.").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                overrides.Add(new($"{section}:Redis", redisValue));
            }

            string? file = parse.GetValue(config);
            if (file is not null && !File.Exists(file))
            {
                string why = Directory.Exists(file) ? "is a folder" : "does not exist";
                await error.WriteLineAsync($"portdoctor: --config: '{file}' {why}. Give the path of a JSON file with a \"Checker\" section.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            Microsoft.Extensions.Configuration.IConfigurationRoot configuration;
            try
            {
                configuration = CheckerConfiguration.Compose(file, overrides);
            }
            catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException)
            {
                string where = ex.InnerException is { } inner ? " " + inner.Message : string.Empty;
                await error.WriteLineAsync($"portdoctor: --config: {ex.Message}{where} Fix the file (a JSON object with a \"Checker\" section).").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (!CheckerConfiguration.TryRead(configuration, out var options, out var errors))
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
