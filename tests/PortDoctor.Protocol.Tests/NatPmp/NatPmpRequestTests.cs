using PortDoctor.Protocol.NatPmp;

namespace PortDoctor.Protocol.Tests.NatPmp;

public class NatPmpRequestTests
{
    [Fact]
    public void External_address_request_is_version_0_opcode_0()
    {
        byte[] expected =
        [
            0x00, // version 0
            0x00, // opcode 0: external address
        ];
        Assert.Equal(expected, NatPmpExternalAddressRequest.ToArray());
    }

    [Fact]
    public void External_address_request_needs_two_bytes()
    {
        Assert.False(NatPmpExternalAddressRequest.TryWrite(new byte[1], out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Map_tcp_request_is_byte_exact()
    {
        byte[] expected =
        [
            0x00,                   // version 0
            0x02,                   // opcode 2: MAP TCP
            0x00, 0x00,             // reserved
            0x55, 0xF2,             // internal port 22002
            0x6E, 0x0E,             // suggested external port 28174
            0x00, 0x00, 0x1C, 0x20, // requested lifetime 7200 s
        ];
        var request = new NatPmpMapRequest(NatPmpMapProtocol.Tcp, 22002, 28174, 7200);
        Assert.Equal(expected, request.ToArray());
        Assert.Equal(130, request.ResponseOpcode);
    }

    [Fact]
    public void Map_udp_request_is_byte_exact()
    {
        byte[] expected =
        [
            0x00,                   // version 0
            0x01,                   // opcode 1: MAP UDP
            0x00, 0x00,             // reserved
            0x1F, 0x90,             // internal port 8080
            0x1F, 0x91,             // suggested external port 8081
            0xFF, 0xFF, 0xFF, 0xFF, // requested lifetime 4294967295 s
        ];
        Assert.Equal(expected, new NatPmpMapRequest(NatPmpMapProtocol.Udp, 8080, 8081, uint.MaxValue).ToArray());
    }

    [Fact]
    public void Delete_request_has_lifetime_0_and_suggested_external_port_0()
    {
        byte[] expected =
        [
            0x00,                   // version 0
            0x02,                   // opcode 2: MAP TCP
            0x00, 0x00,             // reserved
            0x1F, 0x90,             // internal port 8080
            0x00, 0x00,             // suggested external port 0 (RFC 6886 §3.4)
            0x00, 0x00, 0x00, 0x00, // lifetime 0: delete
        ];
        Assert.Equal(expected, NatPmpMapRequest.Delete(NatPmpMapProtocol.Tcp, 8080).ToArray());
    }

    [Fact]
    public void Map_request_refuses_a_short_buffer_and_an_unknown_protocol()
    {
        var request = new NatPmpMapRequest(NatPmpMapProtocol.Tcp, 1, 1, 1);
        Assert.False(request.TryWrite(new byte[11], out int written));
        Assert.Equal(0, written);
        var bogus = new NatPmpMapRequest((NatPmpMapProtocol)7, 1, 1, 1);
        Assert.False(bogus.TryWrite(new byte[12], out _));
        Assert.Throws<InvalidOperationException>(() => bogus.ToArray());
    }
}
