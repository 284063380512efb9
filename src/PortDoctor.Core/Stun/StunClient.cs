using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using PortDoctor.Core.Net;
using PortDoctor.Protocol.Stun;

namespace PortDoctor.Core.Stun;

/// <summary>
/// Learns this PC's public address with a STUN Binding request (RFC 8489 §7.2.1 over UDP), with the
/// retransmission schedule of §6.2.1 cut off by our own budget.
/// </summary>
public sealed class StunClient
{
    /// <summary>First retransmission timeout: RFC 8489 §6.2.1's recommended initial RTO of 500 ms; doubled after each send.</summary>
    public static readonly TimeSpan InitialRto = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Default budget per server: 3 s allows sends at 0, 0.5 and 1.5 s (three tries against loss) while keeping
    /// diagnose quick; a STUN server on the internet answers in well under a second.
    /// </summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(3);

    /// <summary>The SOFTWARE attribute we send (RFC 8489 §14.14), so server operators can tell who asks.</summary>
    public const string Software = "PortDoctor";

    private readonly Func<AddressFamily, IUdpTransport> _transportFactory;

    /// <summary>Creates the client.</summary>
    /// <param name="transportFactory">Creates a UDP transport for an address family (tests pass fakes).</param>
    public StunClient(Func<AddressFamily, IUdpTransport> transportFactory) => _transportFactory = transportFactory;

    /// <summary>The budget per server; default <see cref="DefaultBudget"/>.</summary>
    public TimeSpan Budget { get; init; } = DefaultBudget;

    /// <summary>Asks every server at once and returns each one's answer.</summary>
    /// <param name="servers">The STUN servers.</param>
    /// <param name="cancellationToken">Cancels the queries (rethrown).</param>
    /// <returns>One result per server, in the given order.</returns>
    public async Task<IReadOnlyList<StunResult>> QueryAllAsync(IReadOnlyList<IPEndPoint> servers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(servers);
        return await Task.WhenAll(servers.Select(s => QueryAsync(s, cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Sends a Binding request to <paramref name="server"/> and waits for the matching response.</summary>
    /// <param name="server">The STUN server's address and port (usually 3478).</param>
    /// <param name="cancellationToken">Cancels the query (rethrown untouched).</param>
    /// <returns>The mapped address, or a result whose <see cref="StunResult.Error"/> says why not; never throws for network failures.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<StunResult> QueryAsync(IPEndPoint server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        byte[] transactionId = new byte[StunConstants.TransactionIdLength];
        Mapping.NonceSource.Fill(transactionId);
        byte[] request = new byte[StunMessageWriter.BindingRequestLength(Software, fingerprint: true)];
        StunMessageWriter.TryWriteBindingRequest(request, transactionId, Software, fingerprint: true, out _);

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        using var transport = _transportFactory(server.AddressFamily);
        transport.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        long started = Stopwatch.GetTimestamp();
        int sends = 0;
        string? lastProblem = null;

        using var resend = CancellationTokenSource.CreateLinkedTokenSource(budget.Token);
        var sender = SendWithBackoffAsync(transport, request, server, () => Interlocked.Increment(ref sends), resend.Token);
        try
        {
            var buffer = new byte[StunConstants.MaxMessageLength];
            while (true)
            {
                ReceivedDatagram datagram;
                try
                {
                    datagram = await transport.ReceiveAsync(buffer, budget.Token).ConfigureAwait(false);
                }
                catch (SocketException ex) when (!budget.IsCancellationRequested)
                {
                    // ICMP port unreachable shows up as a receive error on some OSes: note it and keep waiting.
                    lastProblem = ex.SocketErrorCode.ToString();
                    continue;
                }

                if (!datagram.RemoteEndPoint.Address.Equals(server.Address) || datagram.RemoteEndPoint.Port != server.Port)
                {
                    continue;
                }

                var read = StunMessageReader.TryReadBindingResponse(buffer.AsSpan(0, datagram.Length), transactionId, out var response);
                if (read != StunReadError.None)
                {
                    lastProblem = "ignored a reply: " + read;
                    continue;
                }

                double rtt = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                return response!.IsSuccess
                    ? new StunResult(server, response.MappedEndPoint, rtt, Volatile.Read(ref sends), null)
                    : new StunResult(server, null, rtt, Volatile.Read(ref sends), $"error response {response.ErrorCode} {response.ErrorReason}".TrimEnd());
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new StunResult(server, null, null, Volatile.Read(ref sends),
                $"no answer within {Budget.TotalMilliseconds:0} ms" + (lastProblem is null ? "" : $" ({lastProblem})"));
        }
        finally
        {
            await resend.CancelAsync().ConfigureAwait(false);
            try
            {
                await sender.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The sender stops when we stop listening.
            }
        }
    }

    private static async Task SendWithBackoffAsync(IUdpTransport transport, byte[] request, IPEndPoint server, Action counted, CancellationToken token)
    {
        var rto = InitialRto;
        while (true)
        {
            try
            {
                // Counted before the send: the answer to this very request may arrive before SendAsync returns.
                counted();
                await transport.SendAsync(request, server, token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // No route right now: the next send may work; the budget ends it anyway.
            }

            await Task.Delay(rto, token).ConfigureAwait(false);
            rto *= 2;
        }
    }
}
