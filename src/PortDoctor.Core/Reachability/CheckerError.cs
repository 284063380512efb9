using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Reachability;

/// <summary>Why a reachability check produced no verdict.</summary>
public enum CheckerErrorKind
{
    /// <summary>The checker could not be reached (DNS, connection refused, TLS failure).</summary>
    Unreachable,

    /// <summary>The checker did not answer within the client's timeout.</summary>
    Timeout,

    /// <summary>The checker answered with an HTTP error status (4xx/5xx), usually with RFC 9457 problem details.</summary>
    HttpStatus,

    /// <summary>The checker answered, but not in the format its kind promises (wrong URL or kind).</summary>
    BadResponse,

    /// <summary>The checker's kind cannot do what was asked (UDP or address lookup on a TCP-only checker).</summary>
    Unsupported,

    /// <summary>The check could not be set up on this PC (the temporary responder could not listen).</summary>
    LocalSetup,
}

/// <summary>A failed check, worded for people: which checker, what failed, and the fix.</summary>
/// <param name="Kind">The class of failure.</param>
/// <param name="Checker">The checker as the user names it (see <see cref="CheckerEndpoint.ToString"/>).</param>
/// <param name="Problem">What failed, one or two sentences (a resource key and its arguments, see <see cref="Localizer"/>).</param>
/// <param name="Fix">What to do about it.</param>
/// <param name="HttpStatus">The HTTP status code for <see cref="CheckerErrorKind.HttpStatus"/>, else null.</param>
/// <param name="RetryAfter">The checker's Retry-After delay when it sent one (429/503), else null.</param>
public sealed record CheckerError(
    CheckerErrorKind Kind,
    string Checker,
    Text Problem,
    Text Fix,
    int? HttpStatus = null,
    TimeSpan? RetryAfter = null)
{
    /// <summary>One line for logs and plain output, in English.</summary>
    /// <returns>"checker: problem Fix: fix".</returns>
    public override string ToString() =>
        $"{Checker}: {Localizer.Format(Problem, UiLanguage.English)} Fix: {Localizer.Format(Fix, UiLanguage.English)}";

    /// <summary>A Transmission or echoip checker was asked about UDP, which those tests cannot do.</summary>
    /// <param name="kind">The checker's kind.</param>
    /// <param name="checker">The checker's name.</param>
    /// <returns>The error.</returns>
    internal static CheckerError TcpOnly(CheckerKind kind, string checker) =>
        new(CheckerErrorKind.Unsupported, checker, Text.Of("Checker.Err.TcpOnly", kind.ToString()), Text.Of("Checker.Fix.TcpOnly"));
}
