using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Reachability;

/// <summary>Asks an outside checker about this PC. Failures come back as <see cref="CheckerError"/> data, not exceptions.</summary>
public interface ICheckerClient
{
    /// <summary>The checker this client talks to.</summary>
    CheckerEndpoint Endpoint { get; }

    /// <summary>Asks the checker which public address and source port it sees this PC at.</summary>
    /// <param name="cancellationToken">Cancels the request; rethrown as <see cref="OperationCanceledException"/>.</param>
    /// <returns>The address, or an error (including <see cref="CheckerErrorKind.Unsupported"/> for kinds without a lookup).</returns>
    Task<CheckerAddressResult> GetMyAddressAsync(CancellationToken cancellationToken);

    /// <summary>Asks the checker to reach <paramref name="port"/> on this PC's public address.</summary>
    /// <param name="port">The port, 1–65535.</param>
    /// <param name="protocol">TCP, or UDP (PortDoctor checkers only).</param>
    /// <param name="nonce">For UDP: the nonce the responder echoes (see <see cref="CheckerNonce"/>); ignored for TCP.</param>
    /// <param name="cancellationToken">Cancels the request; rethrown as <see cref="OperationCanceledException"/>.</param>
    /// <returns>The state, or an error naming the checker, what failed and the fix.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is outside 1–65535.</exception>
    /// <exception cref="ArgumentException">UDP without a valid nonce.</exception>
    Task<CheckerCheckResult> CheckAsync(int port, TransportProtocol protocol, string? nonce, CancellationToken cancellationToken);
}
