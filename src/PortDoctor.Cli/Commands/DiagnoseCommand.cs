using System.CommandLine;
using PortDoctor.Cli.Rendering;
using PortDoctor.Core.Diagnosis;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Cli.Commands;

/// <summary><c>portdoctor diagnose [PORT] [--url URL]</c>: read-only, one root cause and the next step.</summary>
internal static class DiagnoseCommand
{
    /// <summary>
    /// --timeout is diagnose's budget: its checks stop then and the report still names a root cause. The run itself
    /// is stopped this much later, should the few steps after the checks (router table, hairpin, URL) hang.
    /// </summary>
    public static readonly TimeSpan AfterBudget = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var port = new Argument<string?>("PORT") { Description = "The port others should reach (optional).", Arity = ArgumentArity.ZeroOrOne };
        var protocol = SharedOptions.Protocol("tcp", "udp");
        var url = new Option<string?>("--url") { Description = "The URL you publish, e.g. http://example.net:8080/ — compared with the public address and port.", HelpName = "URL" };
        var checker = SharedOptions.Checker();
        var stun = new Option<string[]>("--stun") { Description = "STUN server HOST[:PORT] to learn the public address (repeatable).", HelpName = "HOST:PORT" };
        var command = new Command("diagnose", "Find why a port is not reachable: one root cause and the next step (changes nothing).")
        {
            port, protocol, url, checker, stun,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, async (run, token) =>
        {
            string? portText = parse.GetValue(port);
            int? p = portText is null ? null : CommandRunner.ParsePort(portText);
            Uri? published = null;
            string? urlText = parse.GetValue(url);
            if (urlText is not null && (!Uri.TryCreate(urlText, UriKind.Absolute, out published) || published.Scheme is not ("http" or "https" or "mms" or "rtsp")))
            {
                throw new UsageException(Text.Of("Input.BadUrl", urlText));
            }

            var context = CommandRunner.Context(run, parse.GetValue(checker));
            var servers = await StunServerSelection.ResolveAsync(parse.GetValue(stun), Environment.GetEnvironmentVariable,
                CheckerSelection.DefaultConfigFilePath(Environment.GetEnvironmentVariable, OperatingSystem.IsWindows()), null, token).ConfigureAwait(false);
            if (servers.Error is not null)
            {
                throw new UsageException(servers.Error);
            }

            var options = new DiagnoseOptions
            {
                Port = p,
                Protocol = parse.GetValue(protocol) == "udp" ? TransportProtocol.Udp : TransportProtocol.Tcp,
                Url = published,
                Gateway = run.Globals.Gateway,
                StunServers = servers.Servers,
                Budget = run.Globals.Timeout ?? DiagnoseOptions.DefaultBudget,
            };
            return await new DiagnoseWorkflow(context).RunAsync(options, token).ConfigureAwait(false);
        }, DiagnoseRenderer.Format, ct, new RunOptions(TimeoutSlack: AfterBudget)));
        return command;
    }
}
