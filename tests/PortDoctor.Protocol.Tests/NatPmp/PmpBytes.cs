using System.Globalization;

namespace PortDoctor.Protocol.Tests.NatPmp;

/// <summary>Hex helpers for NAT-PMP/PCP tests: fixtures are whitespace-separated hex bytes (their origin: Fixtures/README.md).</summary>
internal static class PmpBytes
{
    public static byte[] Hex(string hex)
    {
        string digits = new(hex.Where(c => !char.IsWhiteSpace(c)).ToArray());
        return Convert.FromHexString(digits);
    }

    public static byte[] Fixture(string name) =>
        Hex(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)));

    public static string ToHex(ReadOnlySpan<byte> bytes) =>
        string.Join(' ', bytes.ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
}
