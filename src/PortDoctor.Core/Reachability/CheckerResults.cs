using System.Net;

namespace PortDoctor.Core.Reachability;

/// <summary>The answer to <see cref="ICheckerClient.GetMyAddressAsync"/>: this PC's public address, or why not.</summary>
/// <param name="Address">The address the checker saw, IPv4-mapped addresses normalised to IPv4; null on error.</param>
/// <param name="Port">The source port the checker saw, 0–65535; 0 on error.</param>
/// <param name="Error">Why there is no address; null on success.</param>
public sealed record CheckerAddressResult(IPAddress? Address, int Port, CheckerError? Error)
{
    /// <summary>True when <see cref="Address"/> is set.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>The answer to <see cref="ICheckerClient.CheckAsync"/>: a state, or why there is none.</summary>
/// <param name="State">What the checker saw; null on error.</param>
/// <param name="RttMs">Milliseconds the checker measured to the answer; null when nothing answered or the kind does not say.</param>
/// <param name="PublicAddress">The address the checker tested (this PC's public address); null when the kind does not say.</param>
/// <param name="DistinguishesClosed">
/// False for checkers that only answer yes/no (Transmission, echoip): then <see cref="ReachabilityState.Filtered"/>
/// means "not reachable" and may as well be closed.
/// </param>
/// <param name="Error">Why there is no state; null on success.</param>
public sealed record CheckerCheckResult(
    ReachabilityState? State,
    double? RttMs,
    IPAddress? PublicAddress,
    bool DistinguishesClosed,
    CheckerError? Error)
{
    /// <summary>True when <see cref="State"/> is set.</summary>
    public bool Succeeded => Error is null;

    /// <summary>A failed check.</summary>
    /// <param name="error">Why.</param>
    /// <returns>A result with no state.</returns>
    public static CheckerCheckResult Failed(CheckerError error) => new(null, null, null, false, error);
}
