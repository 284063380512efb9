using System.Net;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Reachability;
using PortDoctor.Core.Stun;

namespace PortDoctor.Core.Diagnosis.Checks;

/// <summary>
/// The address the internet sees: the checker's <c>/api/v1/ip</c>, else the first STUN server (RFC 8489) that
/// answered; <c>public-address</c>.
/// </summary>
internal static class PublicAddressCheck
{
    /// <summary>Asks every STUN server at once; none are asked without a STUN client or servers.</summary>
    /// <param name="stun">The STUN client; null to skip.</param>
    /// <param name="servers">The servers (<c>--stun</c>, <c>PORTDOCTOR_STUN</c>, config.json).</param>
    /// <param name="cancellationToken">The diagnose budget.</param>
    /// <returns>One result per server.</returns>
    public static Task<IReadOnlyList<StunResult>> QueryStunAsync(StunClient? stun, IReadOnlyList<IPEndPoint> servers, CancellationToken cancellationToken) =>
        stun is not null && servers.Count > 0
            ? stun.QueryAllAsync(servers, cancellationToken)
            : Task.FromResult<IReadOnlyList<StunResult>>([]);

    /// <summary>Asks the checker which address it sees, when its kind can say.</summary>
    /// <param name="checker">The checker; null when none is named.</param>
    /// <param name="cancellationToken">The diagnose budget.</param>
    /// <returns>The checker's answer; null when it was not asked.</returns>
    public static async Task<CheckerAddressResult?> AskCheckerAsync(ICheckerClient? checker, CancellationToken cancellationToken) =>
        checker is { Endpoint.SupportsAddressLookup: true }
            ? await checker.GetMyAddressAsync(cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>Reports the public address and where it came from.</summary>
    /// <param name="f">Where findings go.</param>
    /// <param name="fromChecker">The checker's answer; null when it was not asked.</param>
    /// <param name="stunResults">The STUN answers.</param>
    /// <returns>The public address; null when neither the checker nor a STUN server told it.</returns>
    public static IPAddress? Report(FindingList f, CheckerAddressResult? fromChecker, IReadOnlyList<StunResult> stunResults)
    {
        IPAddress? publicAddress = fromChecker is { Succeeded: true, Address: not null } ? fromChecker.Address : null;
        string source = publicAddress is null ? "" : "checker";
        object sourceText = Text.Of("Diag.Source.Checker");
        var stunHit = stunResults.FirstOrDefault(r => r.Succeeded);
        if (publicAddress is null && stunHit is not null)
        {
            publicAddress = stunHit.MappedEndPoint!.Address;
            source = "stun " + stunHit.Server;
            sourceText = Text.Of("Diag.Source.Stun", stunHit.Server);
        }

        if (publicAddress is not null)
        {
            f.Info(FindingIds.PublicAddress, Text.Of("Diag.PublicAddress", publicAddress, sourceText),
                ("publicAddress", publicAddress.ToString()), ("source", source),
                ("stun", string.Join(" ", stunResults.Select(r => r.Server + "=" + (r.MappedEndPoint?.ToString() ?? r.Error)))));
        }
        else if (stunResults.Count > 0)
        {
            f.Warning(FindingIds.PublicAddress, Text.Of("Diag.PublicAddressUnknown", string.Join("; ", stunResults.Select(r => r.Server + ": " + r.Error))), null);
        }

        return publicAddress;
    }
}
