using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Net;

namespace PortDoctor.Core.Diagnosis.Checks;

/// <summary>The published URL: <c>--url</c>'s host and port against the public address and the port; <c>url</c>, <c>url-mismatch</c>.</summary>
internal static class UrlCheck
{
    /// <summary>Resolves the URL's host and compares it and its port with what was found.</summary>
    /// <param name="f">Where findings go.</param>
    /// <param name="resolver">The DNS seam.</param>
    /// <param name="options">What to diagnose; nothing happens without <see cref="DiagnoseOptions.Url"/>.</param>
    /// <param name="publicAddress">The address the internet sees; null when unknown (then the host is not compared).</param>
    /// <param name="cancellationToken">The diagnose budget.</param>
    /// <returns>A task that completes when the check is done.</returns>
    public static async Task RunAsync(FindingList f, IHostResolver resolver, DiagnoseOptions options, IPAddress? publicAddress, CancellationToken cancellationToken)
    {
        if (options.Url is not Uri url)
        {
            return;
        }

        int urlPort = url.Port;
        var problems = new List<Text>();
        if (options.Port is int port && urlPort != port)
        {
            problems.Add(Text.Of("Diag.Url.PortDiffers", urlPort, port));
        }

        IReadOnlyList<IPAddress> hostAddresses = [];
        if (HostNames.TryParseLiteral(url.Host, out var literal))
        {
            hostAddresses = [literal!];
        }
        else if (await HostNames.ResolveAsync(resolver, url.Host, AddressFamily.Unspecified, cancellationToken).ConfigureAwait(false) is { } resolved)
        {
            hostAddresses = resolved;
        }
        else
        {
            problems.Add(Text.Of("Diag.Url.HostUnknown", url.Host));
        }

        if (publicAddress is not null && hostAddresses.Count > 0 && !hostAddresses.Contains(publicAddress))
        {
            problems.Add(Text.Of("Diag.Url.HostDiffers", url.Host, string.Join(", ", hostAddresses.Select(a => a.ToString())), publicAddress));
        }

        var evidence = new (string, string)[]
        {
            ("url", url.ToString()),
            ("urlPort", urlPort.ToString(CultureInfo.InvariantCulture)),
            ("urlAddresses", string.Join(",", hostAddresses.Select(a => a.ToString()))),
            ("publicAddress", publicAddress?.ToString() ?? ""),
        };
        if (problems.Count == 0)
        {
            f.Info(FindingIds.Url, Text.Of("Diag.Url.Matches", url.ToString()), evidence);
        }
        else
        {
            var joined = problems.Skip(1).Aggregate(problems[0], (acc, t) => Text.Of("Common.Join", acc, t));
            f.Fault(FindingIds.UrlMismatch, Text.Of("Diag.Url.Mismatch", url.ToString(), joined), Text.Of("Diag.Fix.Url"), evidence);
        }
    }
}
