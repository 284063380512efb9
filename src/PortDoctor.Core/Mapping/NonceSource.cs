using System.Security.Cryptography;

namespace PortDoctor.Core.Mapping;

/// <summary>
/// Unpredictable bytes for PCP mapping nonces (RFC 6887 §11.1). On Linux it reads the kernel's CSPRNG
/// (<c>/dev/urandom</c>) directly: <see cref="RandomNumberGenerator"/> there goes through OpenSSL, whose
/// first use loads libssl and libcrypto — about 15 ms of a command whose whole budget is tens of ms.
/// Elsewhere it uses <see cref="RandomNumberGenerator"/> (the OS generator, no extra library).
/// </summary>
internal static class NonceSource
{
    /// <summary>Fills <paramref name="destination"/> with cryptographically strong random bytes.</summary>
    /// <param name="destination">Where to write.</param>
    public static void Fill(Span<byte> destination)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                using var urandom = new FileStream("/dev/urandom", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
                urandom.ReadExactly(destination);
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A sandbox without /dev: the library generator is slower to start but always there.
            }
        }

        RandomNumberGenerator.Fill(destination);
    }

    /// <summary>A new 96-bit PCP nonce as 24 lower-case hex digits.</summary>
    /// <returns>The nonce.</returns>
    public static string NewPcpNonceHex()
    {
        Span<byte> bytes = stackalloc byte[12];
        Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
