using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Core.Tests.Reachability;

/// <summary>A checker client that plays the outside checker on loopback (or just answers), recording the calls.</summary>
internal sealed class LoopbackCheckerClient(string checker, Func<int, TransportProtocol, string?, Task<CheckerCheckResult>> check) : ICheckerClient
{
    public CheckerEndpoint Endpoint { get; } = Parse(checker);

    public List<(int Port, TransportProtocol Protocol, string? Nonce)> Calls { get; } = [];

    public Task<CheckerAddressResult> GetMyAddressAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new CheckerAddressResult(IPAddress.Loopback, 1, null));

    public Task<CheckerCheckResult> CheckAsync(int port, TransportProtocol protocol, string? nonce, CancellationToken cancellationToken)
    {
        Calls.Add((port, protocol, nonce));
        return check(port, protocol, nonce);
    }

    private static CheckerEndpoint Parse(string text) => CheckerEndpoint.TryParse(text, out CheckerEndpoint? e, out string? error) ? e : throw new ArgumentException(error);
}

public class ReachabilityCheckerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CheckerCheckResult Ok(ReachabilityState state) => new(state, 1.5, IPAddress.Parse("198.51.100.7"), true, null);

    [Fact]
    public async Task Tcp_check_with_nothing_listening_runs_a_responder_that_the_checker_reaches()
    {
        var client = new LoopbackCheckerClient("https://check.example", async (port, _, _) =>
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Ct);
            await Task.Delay(100, Ct); // let the responder count the accept
            return Ok(ReachabilityState.Open);
        });
        var checker = new ReachabilityChecker(client, responderBindAddresses: [IPAddress.Loopback]);

        ReachabilityReport report = await checker.CheckAsync(TemporaryResponderTests.FreePort(SocketType.Stream), TransportProtocol.Tcp, false, Ct);

        Assert.True(report.Reachable);
        Assert.True(report.TemporaryResponderUsed);
        Assert.True(report.TemporaryResponderAnswered);
        Assert.Equal(IPAddress.Parse("198.51.100.7"), report.PublicAddress);
        Assert.Equal(1.5, report.RttMs);
        Assert.Null(client.Calls[0].Nonce);
    }

    [Fact]
    public async Task Open_without_the_responder_being_reached_means_something_else_answered()
    {
        var client = new LoopbackCheckerClient("https://check.example", (_, _, _) => Task.FromResult(Ok(ReachabilityState.Open)));
        var checker = new ReachabilityChecker(client, responderBindAddresses: [IPAddress.Loopback]);
        ReachabilityReport report = await checker.CheckAsync(TemporaryResponderTests.FreePort(SocketType.Stream), TransportProtocol.Tcp, false, Ct);
        Assert.True(report.AnsweredBySomethingElse);
        Assert.False(report.TemporaryResponderAnswered);
    }

    [Fact]
    public async Task Listening_program_is_checked_without_a_responder()
    {
        var client = new LoopbackCheckerClient("https://check.example", (_, _, _) => Task.FromResult(Ok(ReachabilityState.Closed)));
        ReachabilityReport report = await new ReachabilityChecker(client).CheckAsync(8080, TransportProtocol.Tcp, true, Ct);
        Assert.False(report.TemporaryResponderUsed);
        Assert.Null(report.TemporaryResponderAnswered);
        Assert.Equal(ReachabilityState.Closed, report.State);
    }

    [Fact]
    public async Task Udp_check_passes_the_generated_nonce_to_the_checker()
    {
        var client = new LoopbackCheckerClient("https://check.example", async (port, _, nonce) =>
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Connect(new IPEndPoint(IPAddress.Loopback, port));
            await s.SendAsync(CheckerNonce.Payload(nonce!), SocketFlags.None, Ct);
            byte[] buffer = new byte[128];
            int n = await s.ReceiveAsync(buffer, SocketFlags.None, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
            return Ok(CheckerNonce.Matches(buffer.AsSpan(0, n), nonce!) ? ReachabilityState.Open : ReachabilityState.Filtered);
        });
        var checker = new ReachabilityChecker(client, () => "fixed-nonce", [IPAddress.Loopback]);

        ReachabilityReport report = await checker.CheckAsync(TemporaryResponderTests.FreePort(SocketType.Dgram), TransportProtocol.Udp, false, Ct);

        Assert.Equal(ReachabilityState.Open, report.State);
        Assert.True(report.TemporaryResponderAnswered);
        Assert.Equal("fixed-nonce", client.Calls[0].Nonce);
    }

    [Fact]
    public async Task Udp_with_a_program_listening_cannot_be_verified()
    {
        var client = new LoopbackCheckerClient("https://check.example", (_, _, _) => Task.FromResult(Ok(ReachabilityState.Open)));
        ReachabilityReport report = await new ReachabilityChecker(client).CheckAsync(5000, TransportProtocol.Udp, true, Ct);
        Assert.Equal(CheckerErrorKind.LocalSetup, report.Error!.Kind);
        Assert.Contains("--protocol udp", En(report.Error.Fix), StringComparison.Ordinal);
        Assert.Empty(client.Calls);
    }

    [Fact]
    public async Task Udp_on_a_tcp_only_checker_is_unsupported()
    {
        var client = new LoopbackCheckerClient("transmission:https://portcheck.example", (_, _, _) => Task.FromResult(Ok(ReachabilityState.Open)));
        ReachabilityReport report = await new ReachabilityChecker(client).CheckAsync(5000, TransportProtocol.Udp, false, Ct);
        Assert.Equal(CheckerErrorKind.Unsupported, report.Error!.Kind);
        Assert.Empty(client.Calls);
    }

    [Fact]
    public async Task Port_taken_between_look_and_check_is_noted_and_tcp_still_checked()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        var client = new LoopbackCheckerClient("https://check.example", (_, _, _) => Task.FromResult(Ok(ReachabilityState.Open)));

        ReachabilityReport report = await new ReachabilityChecker(client, responderBindAddresses: [IPAddress.Loopback]).CheckAsync(port, TransportProtocol.Tcp, false, Ct);

        Assert.Equal(ReachabilityState.Open, report.State);
        Assert.False(report.TemporaryResponderUsed);
        Assert.Contains("already listens", report.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checker_errors_pass_through()
    {
        var error = new CheckerError(CheckerErrorKind.Timeout, "https://check.example/", PortDoctor.Core.Localization.Text.Of("Common.Verbatim", "slow"), PortDoctor.Core.Localization.Text.Of("Common.Verbatim", "retry"));
        var client = new LoopbackCheckerClient("https://check.example", (_, _, _) => Task.FromResult(CheckerCheckResult.Failed(error)));
        ReachabilityReport report = await new ReachabilityChecker(client).CheckAsync(8080, TransportProtocol.Tcp, true, Ct);
        Assert.Same(error, report.Error);
        Assert.Null(report.State);
    }

    private static string En(PortDoctor.Core.Localization.Text text) =>
        PortDoctor.Core.Localization.Localizer.Format(text, PortDoctor.Core.Localization.UiLanguage.English);
}
