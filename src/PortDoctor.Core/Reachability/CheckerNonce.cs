using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace PortDoctor.Core.Reachability;

/// <summary>
/// The nonce a UDP check carries and the datagram that carries it. The checker sends exactly one
/// datagram holding <see cref="Payload"/>; the PC's responder sends the identical bytes back.
/// </summary>
public static class CheckerNonce
{
    /// <summary>The longest nonce the checker accepts, in characters.</summary>
    public const int MaxLength = 64;

    // A fixed prefix lets a responder ignore stray datagrams (scans, the real program's peers)
    // that merely happen to contain the nonce characters.
    private const string PayloadPrefix = "PORTDOCTOR-CHECK ";

    /// <summary>True when <paramref name="nonce"/> is 1–64 characters of <c>[A-Za-z0-9-_]</c>.</summary>
    /// <param name="nonce">The text to test.</param>
    /// <returns>True when the checker accepts it.</returns>
    public static bool IsValid(string? nonce)
    {
        if (string.IsNullOrEmpty(nonce) || nonce.Length > MaxLength)
        {
            return false;
        }

        foreach (char c in nonce)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Makes a fresh nonce: 16 random bytes, base64url without padding (22 characters).</summary>
    /// <returns>A nonce for which <see cref="IsValid"/> is true.</returns>
    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[16];
        Mapping.NonceSource.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The datagram that carries <paramref name="nonce"/> (ASCII).</summary>
    /// <param name="nonce">A valid nonce.</param>
    /// <returns>The datagram bytes, at most 81 bytes.</returns>
    /// <exception cref="ArgumentException">The nonce is not valid (see <see cref="IsValid"/>).</exception>
    public static byte[] Payload(string nonce)
    {
        if (!IsValid(nonce))
        {
            throw new ArgumentException("The nonce must be 1-64 characters of A-Z, a-z, 0-9, '-' or '_'.", nameof(nonce));
        }

        return Encoding.ASCII.GetBytes(PayloadPrefix + nonce);
    }

    /// <summary>True when <paramref name="datagram"/> is exactly the datagram for <paramref name="nonce"/>.</summary>
    /// <param name="datagram">A received datagram.</param>
    /// <param name="nonce">The expected nonce.</param>
    /// <returns>True on an exact byte match.</returns>
    public static bool Matches(ReadOnlySpan<byte> datagram, string nonce)
    {
        if (!IsValid(nonce) || datagram.Length != PayloadPrefix.Length + nonce.Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[PayloadPrefix.Length + MaxLength];
        int written = Encoding.ASCII.GetBytes(PayloadPrefix + nonce, expected);
        return datagram.SequenceEqual(expected[..written]);
    }
}
