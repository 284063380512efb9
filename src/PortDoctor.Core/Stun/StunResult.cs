using System.Net;

namespace PortDoctor.Core.Stun;

/// <summary>What one STUN server said about this PC's public (server-reflexive) address.</summary>
/// <param name="Server">The server asked.</param>
/// <param name="MappedEndPoint">The public address and port the server saw; null on failure.</param>
/// <param name="RttMs">Time from the first request to the answer, ms; null on failure.</param>
/// <param name="Transmissions">How many requests were sent (1 = answered at once).</param>
/// <param name="Error">Why there is no address: "no answer within N ms", "error response 400 Bad Request", ...; null on success.</param>
public sealed record StunResult(IPEndPoint Server, IPEndPoint? MappedEndPoint, double? RttMs, int Transmissions, string? Error)
{
    /// <summary>True when the server answered with an address.</summary>
    public bool Succeeded => MappedEndPoint is not null;
}
