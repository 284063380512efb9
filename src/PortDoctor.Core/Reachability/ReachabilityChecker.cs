using PortDoctor.Core.Localization;
using System.Net;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Reachability;

/// <summary>
/// Runs one outside check of a port: when nothing listens on it, holds it with a
/// <see cref="TemporaryResponder"/> for the length of the check, asks the checker, and reports the state,
/// the round-trip time, whether the responder answered and the public address the checker saw.
/// </summary>
internal sealed class ReachabilityChecker
{
    private readonly ICheckerClient client;
    private readonly Func<string> createNonce;
    private readonly IReadOnlyList<IPAddress>? responderBindAddresses;

    /// <summary>Creates a checker run over a client.</summary>
    /// <param name="client">The checker client.</param>
    /// <param name="createNonce">Makes UDP nonces; null for <see cref="CheckerNonce.Create"/>.</param>
    /// <param name="responderBindAddresses">Where the temporary responder binds; null for IPv4 and IPv6 any (tests pass loopback).</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public ReachabilityChecker(ICheckerClient client, Func<string>? createNonce = null, IReadOnlyList<IPAddress>? responderBindAddresses = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        this.client = client;
        this.createNonce = createNonce ?? CheckerNonce.Create;
        this.responderBindAddresses = responderBindAddresses;
    }

    /// <summary>Checks whether <paramref name="port"/> is reachable from outside.</summary>
    /// <param name="port">The port, 1–65535.</param>
    /// <param name="protocol">TCP or UDP.</param>
    /// <param name="somethingListens">True when a program already listens on the port (then no responder is started).</param>
    /// <param name="cancellationToken">Cancels the check; rethrown as <see cref="OperationCanceledException"/>.</param>
    /// <param name="externalPort">The port the checker connects to when the router forwards another external port to
    /// <paramref name="port"/>; null: the same port.</param>
    /// <returns>The report; checker and local setup failures are in <see cref="ReachabilityReport.Error"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is outside 1–65535.</exception>
    public async Task<ReachabilityReport> CheckAsync(int port, TransportProtocol protocol, bool somethingListens, CancellationToken cancellationToken, int? externalPort = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        int outside = externalPort ?? port;
        ArgumentOutOfRangeException.ThrowIfLessThan(outside, 1, nameof(externalPort));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(outside, 65535, nameof(externalPort));
        CheckerEndpoint checker = client.Endpoint;
        string checkerName = checker.ToString();

        if (protocol == TransportProtocol.Udp && !checker.SupportsUdp)
        {
            return Failed(port, protocol, checker, CheckerError.TcpOnly(checker.Kind, checkerName));
        }

        if (protocol == TransportProtocol.Udp && somethingListens)
        {
            return Failed(port, protocol, checker, UdpPortBusy(port, checkerName));
        }

        string? nonce = protocol == TransportProtocol.Udp ? createNonce() : null;
        TemporaryResponder? responder = null;
        string? note = null;
        if (!somethingListens)
        {
            ResponderStartResult start = TemporaryResponder.TryStart(port, protocol, nonce, responderBindAddresses);
            switch (start.Failure)
            {
                case ResponderStartFailure.None:
                    responder = start.Responder;
                    break;
                case ResponderStartFailure.PortInUse when protocol == TransportProtocol.Tcp:
                    // A program started between the caller's look and ours: the check is still meaningful.
                    note = start.Error;
                    break;
                case ResponderStartFailure.PortInUse:
                    return Failed(port, protocol, checker, UdpPortBusy(port, checkerName));
                default:
                    return Failed(port, protocol, checker, new CheckerError(CheckerErrorKind.LocalSetup, "temporary responder",
                        start.Error is { } why ? Text.Of("Common.Verbatim", why) : Text.Of("Checker.Err.CannotListen", port), Text.Of("Checker.Fix.StartProgram")));
            }
        }

        await using (responder)
        {
            CheckerCheckResult result = await client.CheckAsync(outside, protocol, nonce, cancellationToken).ConfigureAwait(false);
            bool? answered = responder is null ? null : responder.Answered;
            return new ReachabilityReport(outside, protocol, checker, result.State, result.RttMs, result.DistinguishesClosed,
                result.PublicAddress, responder is not null, answered, note, result.Error);
        }
    }

    private static CheckerError UdpPortBusy(int port, string checkerName) => new(
        CheckerErrorKind.LocalSetup, checkerName, Text.Of("Checker.Err.UdpBusy", port), Text.Of("Checker.Fix.UdpBusy", port));

    private static ReachabilityReport Failed(int port, TransportProtocol protocol, CheckerEndpoint checker, CheckerError error) =>
        new(port, protocol, checker, null, null, false, null, false, null, null, error);
}
