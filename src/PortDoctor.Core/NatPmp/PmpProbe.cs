using System.Net.Sockets;
using PortDoctor.Core.Net;

namespace PortDoctor.Core.NatPmp;

/// <summary>What the NAT-PMP and PCP probes share: IPv4 only, and one question within <see cref="PmpClientOptions.ProbeBudget"/>
/// whose silence means "does not speak it", not a failure.</summary>
internal static class PmpProbe
{
    /// <summary>True when <paramref name="gateway"/> can be probed: both protocols run over IPv4 only here.</summary>
    /// <param name="gateway">The gateway and this PC's address toward it.</param>
    /// <param name="transportFactory">Creates UDP sockets.</param>
    /// <returns>True for an IPv4 gateway and local address.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static bool CanProbe(GatewayInfo gateway, Func<AddressFamily, IUdpTransport> transportFactory)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(transportFactory);
        return gateway.Gateway.AddressFamily == AddressFamily.InterNetwork && gateway.LocalAddress.AddressFamily == AddressFamily.InterNetwork;
    }

    /// <summary>Asks the probe's one question within the probe budget.</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="ask">Sends the question with a budget.</param>
    /// <param name="options">The options whose budget and clock are used.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>The answer and how long it took; null when nothing answered in time or the gateway is unreachable.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<(T Answer, TimeSpan Elapsed)?> AskAsync<T>(Func<TimeSpan, CancellationToken, Task<T>> ask, PmpClientOptions options, CancellationToken cancellationToken)
    {
        long started = options.TimeProvider.GetTimestamp();
        try
        {
            T answer = await ask(options.ProbeBudget, cancellationToken).ConfigureAwait(false);
            return (answer, options.TimeProvider.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is TimeoutException or SocketException)
        {
            return null;
        }
    }
}
