using System.Net;
using PortDoctor.Protocol.Pcp;

namespace PortDoctor.Protocol.Tests.Pcp;

public class PcpRequestTests
{
    internal static readonly PcpNonce Nonce = PcpNonce.FromBytes([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C]);
    internal static readonly IPAddress Client = IPAddress.Parse("192.168.1.10");

    [Fact]
    public void Announce_request_is_byte_exact()
    {
        byte[] expected =
        [
            0x02,                   // version 2
            0x00,                   // R=0, opcode 0 ANNOUNCE
            0x00, 0x00,             // reserved
            0x00, 0x00, 0x00, 0x00, // requested lifetime 0
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xC0, 0xA8, 0x01, 0x0A, // client ::ffff:192.168.1.10
        ];
        Assert.Equal(expected, PcpAnnounceRequest.ToArray(Client));
    }

    [Fact]
    public void Map_request_is_byte_exact_with_the_all_zeros_ipv4_suggestion()
    {
        byte[] expected =
        [
            // common header (RFC 6887 §7.1)
            0x02,                   // version 2
            0x01,                   // R=0, opcode 1 MAP
            0x00, 0x00,             // reserved
            0x00, 0x00, 0x1C, 0x20, // requested lifetime 7200 s
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xC0, 0xA8, 0x01, 0x0A, // client ::ffff:192.168.1.10
            // MAP body (§11.1)
            0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, // mapping nonce
            0x06,                   // protocol 6 TCP
            0x00, 0x00, 0x00,       // reserved
            0x1F, 0x90,             // internal port 8080
            0x1F, 0x91,             // suggested external port 8081
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, // ::ffff:0.0.0.0 (docs/quirks.md#Q-PCP-SUGGESTED-ADDRESS)
            // no options: never PREFER_FAILURE (docs/quirks.md#Q-PCP-PREFER-FAILURE)
        ];
        var request = new PcpMapRequest(Nonce, PcpMapProtocol.Tcp, 8080, 8081, PcpAddress.AnyIPv4, 7200, Client);
        Assert.Equal(expected, request.ToArray());
    }

    [Fact]
    public void Plain_ipv4_any_is_written_as_the_ipv4_mapped_all_zeros_address()
    {
        var mapped = new PcpMapRequest(Nonce, PcpMapProtocol.Udp, 1, 1, PcpAddress.AnyIPv4, 1, Client).ToArray();
        var plain = new PcpMapRequest(Nonce, PcpMapProtocol.Udp, 1, 1, IPAddress.Any, 1, Client).ToArray();
        Assert.Equal(mapped, plain);
        Assert.Equal(PmpHex("00 00 00 00 00 00 00 00 00 00 ff ff 00 00 00 00"), plain[44..60]);
    }

    [Fact]
    public void Delete_request_carries_the_nonce_and_lifetime_0()
    {
        byte[] bytes = new PcpMapRequest(Nonce, PcpMapProtocol.Udp, 8080, 8080, PcpAddress.AnyIPv4, 0, Client).ToArray();
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, bytes[4..8]);      // lifetime 0
        Assert.Equal(Nonce, PcpNonce.FromBytes(bytes.AsSpan(24, 12)));
        Assert.Equal(17, bytes[36]);                               // UDP
    }

    [Fact]
    public void Ipv6_addresses_are_written_as_they_are()
    {
        var v6 = IPAddress.Parse("2001:db8::1");
        byte[] bytes = new PcpMapRequest(Nonce, PcpMapProtocol.Tcp, 1, 1, IPAddress.IPv6Any, 1, v6).ToArray();
        Assert.Equal(v6.GetAddressBytes(), bytes[8..24]);
        Assert.Equal(new byte[16], bytes[44..60]);
    }

    [Fact]
    public void Writer_refuses_a_short_buffer()
    {
        var request = new PcpMapRequest(Nonce, PcpMapProtocol.Tcp, 1, 1, PcpAddress.AnyIPv4, 1, Client);
        Assert.False(request.TryWrite(new byte[59], out int written));
        Assert.Equal(0, written);
        Assert.False(PcpAnnounceRequest.TryWrite(new byte[23], Client, out _));
    }

    [Fact]
    public void Nonce_hex_round_trips_and_rejects_bad_text()
    {
        Assert.Equal("0102030405060708090a0b0c", Nonce.ToHex());
        Assert.True(PcpNonce.TryParseHex("0102030405060708090A0B0C", out PcpNonce parsed));
        Assert.Equal(Nonce, parsed);
        Assert.False(PcpNonce.TryParseHex(null, out _));
        Assert.False(PcpNonce.TryParseHex("0102", out _));
        Assert.False(PcpNonce.TryParseHex("0102030405060708090a0b0g", out _));
        Assert.False(PcpNonce.TryParseHex("+102030405060708090a0b0c", out _));
        Assert.Throws<ArgumentException>(() => PcpNonce.FromBytes(new byte[11]));
    }

    private static byte[] PmpHex(string hex) => PortDoctor.Protocol.Tests.NatPmp.PmpBytes.Hex(hex);
}
