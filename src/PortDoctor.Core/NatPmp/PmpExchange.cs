using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Net;

namespace PortDoctor.Core.NatPmp;

/// <summary>Decides what one datagram from the server is: the answer (true) or something to ignore (false, with why).</summary>
internal delegate bool DatagramClassifier<T>(ReadOnlySpan<byte> datagram, out T answer, out string? ignoredBecause);

/// <summary>
/// One NAT-PMP/PCP request/response exchange over a fresh socket: sends, retransmits after the initial delay
/// doubling each time (RFC 6886 §3.1), ignores datagrams not from the server's address and port or not
/// answering this request, and gives up when the budget ends. The socket is connected to the server, so an
/// ICMP port-unreachable ends the exchange at once with a <see cref="SocketException"/> (ConnectionRefused).
/// </summary>
internal static class PmpExchange
{
    /// <summary>Receive buffer: the largest PCP message (1100 bytes) plus room to notice an oversized one.</summary>
    private const int ReceiveBufferBytes = 1104;

    /// <summary>How many datagrams one exchange looks at before giving up: bounds a flood of junk.</summary>
    private const int MaxDatagrams = 256;

    /// <summary>How many ignored-datagram reasons are kept for the timeout message.</summary>
    private const int MaxReasonsKept = 3;

    public static async Task<T> RunAsync<T>(
        Func<AddressFamily, IUdpTransport> transportFactory,
        IPAddress localAddress,
        IPEndPoint server,
        byte[] request,
        TimeSpan budget,
        PmpClientOptions options,
        DatagramClassifier<T> classify,
        string what,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using IUdpTransport transport = transportFactory(AddressFamily.InterNetwork);
        transport.Bind(new IPEndPoint(localAddress, 0));

        // Connected: only the server's datagrams arrive, and a gateway with nothing on the port answers with an
        // ICMP port-unreachable that the next receive reports as ConnectionRefused, so "not there" is known in one
        // round trip instead of after the whole budget (the gateway probe relies on that to decide quickly).
        transport.Connect(server);

        using var budgetCts = new CancellationTokenSource(budget, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budgetCts.Token);
        var sender = new Sender(transport, server, request, options, linked);
        Task sending = sender.RunAsync();
        var ignored = new List<string>();
        int ignoredCount = 0;
        byte[] buffer = new byte[ReceiveBufferBytes];
        try
        {
            for (int i = 0; i < MaxDatagrams; i++)
            {
                ReceivedDatagram datagram;
                try
                {
                    datagram = await transport.ReceiveAsync(buffer, linked.Token).ConfigureAwait(false);
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    throw new SocketException((int)SocketError.ConnectionRefused, $"{what}: {server} refused it (ICMP port unreachable): nothing listens on that port");
                }

                string? reason;
                if (!IsFrom(server, datagram.RemoteEndPoint))
                {
                    reason = $"a datagram from {datagram.RemoteEndPoint}, not from {server}";
                }
                else if (classify(buffer.AsSpan(0, datagram.Length), out T answer, out reason))
                {
                    return answer;
                }

                ignoredCount++;
                if (ignored.Count < MaxReasonsKept)
                {
                    ignored.Add(reason ?? "unusable datagram");
                }
            }

            throw new TimeoutException($"{what}: {MaxDatagrams} datagrams from {server} and none answered the request ({Ignored(ignoredCount, ignored)})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (sender.Failure is SocketException sendFailure)
            {
                throw new SocketException(sendFailure.ErrorCode, $"{what}: cannot send to {server}: {sendFailure.Message}");
            }

            string message = string.Create(
                CultureInfo.InvariantCulture,
                $"{what}: no answer from {server} within {budget.TotalMilliseconds:0} ms ({sender.Sent} requests sent)");
            throw new TimeoutException(ignoredCount == 0 ? message : $"{message}; ignored {Ignored(ignoredCount, ignored)}");
        }
        finally
        {
            await linked.CancelAsync().ConfigureAwait(false);
            await sending.ConfigureAwait(false); // the sender ends on cancellation and never throws
        }
    }

    private static string Ignored(int count, List<string> reasons) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} datagram(s): {string.Join("; ", reasons)}");

    private static bool IsFrom(IPEndPoint server, IPEndPoint from)
    {
        IPAddress a = from.Address.IsIPv4MappedToIPv6 ? from.Address.MapToIPv4() : from.Address;
        return from.Port == server.Port && a.Equals(server.Address);
    }

    private sealed class Sender(IUdpTransport transport, IPEndPoint server, byte[] request, PmpClientOptions options, CancellationTokenSource stop)
    {
        public int Sent { get; private set; }

        public SocketException? Failure { get; private set; }

        public async Task RunAsync()
        {
            TimeSpan delay = options.InitialRetransmit;
            try
            {
                while (true)
                {
                    await transport.SendAsync(request, server, stop.Token).ConfigureAwait(false);
                    Sent++;
                    await Task.Delay(delay, options.TimeProvider, stop.Token).ConfigureAwait(false);
                    delay += delay;
                }
            }
            catch (OperationCanceledException)
            {
                // The exchange ended: answered, budget spent, or the caller cancelled.
            }
            catch (SocketException ex)
            {
                Failure = ex; // no route to the gateway and the like: stop waiting for an answer that cannot come
                await stop.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The socket closed under us; the receive side reports it.
            }
        }
    }
}
