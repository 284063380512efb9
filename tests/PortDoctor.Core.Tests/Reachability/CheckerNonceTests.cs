using System.Text;
using PortDoctor.Core.Reachability;

namespace PortDoctor.Core.Tests.Reachability;

public class CheckerNonceTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("A-z_09", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("has space", false)]
    [InlineData("ümlaut", false)]
    public void Validates_charset_and_length(string? nonce, bool valid) => Assert.Equal(valid, CheckerNonce.IsValid(nonce));

    [Fact]
    public void Length_limit_is_64()
    {
        Assert.True(CheckerNonce.IsValid(new string('a', 64)));
        Assert.False(CheckerNonce.IsValid(new string('a', 65)));
    }

    [Fact]
    public void Created_nonces_are_valid_and_differ()
    {
        string a = CheckerNonce.Create(), b = CheckerNonce.Create();
        Assert.True(CheckerNonce.IsValid(a));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Payload_matches_only_its_own_nonce()
    {
        byte[] payload = CheckerNonce.Payload("abc");
        Assert.True(CheckerNonce.Matches(payload, "abc"));
        Assert.False(CheckerNonce.Matches(payload, "abd"));
        Assert.False(CheckerNonce.Matches(Encoding.ASCII.GetBytes("abc"), "abc"));
        Assert.False(CheckerNonce.Matches(payload.AsSpan(0, payload.Length - 1), "abc"));
        Assert.Throws<ArgumentException>(() => CheckerNonce.Payload("no spaces"));
    }
}
