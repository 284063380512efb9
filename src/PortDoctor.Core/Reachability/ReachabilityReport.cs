using System.Net;
using PortDoctor.Core.Mapping;

namespace PortDoctor.Core.Reachability;

/// <summary>The outcome of one outside check of a port, as <see cref="ReachabilityChecker"/> ran it.</summary>
/// <param name="Port">The port checked, 1–65535.</param>
/// <param name="Protocol">The protocol checked.</param>
/// <param name="Checker">The checker asked.</param>
/// <param name="State">What the checker saw; null when <paramref name="Error"/> is set.</param>
/// <param name="RttMs">The checker's round-trip time to the answer in milliseconds; null when nothing answered or the kind does not say.</param>
/// <param name="DistinguishesClosed">False when the checker answers only yes/no (then Filtered means "not reachable").</param>
/// <param name="PublicAddress">This PC's public address as the checker saw it; null when the kind does not say.</param>
/// <param name="TemporaryResponderUsed">True when PortDoctor listened on the port itself for the check.</param>
/// <param name="TemporaryResponderAnswered">
/// Whether the temporary responder received the checker's connection (TCP) or echoed its nonce (UDP);
/// null when no responder ran.
/// </param>
/// <param name="Note">Something the user should know besides the state (e.g. a program started listening meanwhile); null if none.</param>
/// <param name="Error">Why there is no state; null on success.</param>
internal sealed record ReachabilityReport(
    int Port,
    TransportProtocol Protocol,
    CheckerEndpoint Checker,
    ReachabilityState? State,
    double? RttMs,
    bool DistinguishesClosed,
    IPAddress? PublicAddress,
    bool TemporaryResponderUsed,
    bool? TemporaryResponderAnswered,
    string? Note,
    CheckerError? Error)
{
    /// <summary>True when the checker reached the port.</summary>
    public bool Reachable => State == ReachabilityState.Open;

    /// <summary>
    /// True when the checker saw the port open but PortDoctor's own responder got no connection: something
    /// else answered on the public address (often the router itself serving that port).
    /// </summary>
    public bool AnsweredBySomethingElse => TemporaryResponderUsed && State == ReachabilityState.Open && TemporaryResponderAnswered == false;
}
