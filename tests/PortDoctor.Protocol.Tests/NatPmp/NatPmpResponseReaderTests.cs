using System.Net;
using PortDoctor.Protocol.NatPmp;

namespace PortDoctor.Protocol.Tests.NatPmp;

public class NatPmpResponseReaderTests
{
    private static readonly byte[] ExternalAddressSuccess =
    [
        0x00,                   // version 0
        0x80,                   // opcode 128: external address response
        0x00, 0x00,             // result 0 Success
        0x00, 0x01, 0x51, 0x80, // epoch 86400 s
        0x0B, 0x00, 0x00, 0x02, // external address 11.0.0.2
    ];

    private static readonly byte[] MapTcpSuccess =
    [
        0x00,                   // version 0
        0x82,                   // opcode 130: MAP TCP response
        0x00, 0x00,             // result 0 Success
        0x00, 0x00, 0x1C, 0x20, // epoch 7200 s
        0x55, 0xF2,             // internal port 22002
        0x6E, 0x0F,             // mapped external port 28175 (not the 28174 suggested)
        0x00, 0x00, 0x0E, 0x10, // lifetime 3600 s
    ];

    [Fact]
    public void External_address_response_is_read()
    {
        Assert.True(NatPmpResponseReader.TryReadExternalAddress(ExternalAddressSuccess, out var r, out var failure, out string? error), error);
        Assert.Equal(NatPmpReadFailure.None, failure);
        Assert.Equal(NatPmpResultCode.Success, r.ResultCode);
        Assert.Equal(86400u, r.EpochSeconds);
        Assert.Equal(IPAddress.Parse("11.0.0.2"), r.ExternalAddress);
    }

    [Fact]
    public void Map_response_is_read_with_the_granted_port()
    {
        Assert.True(NatPmpResponseReader.TryReadMap(MapTcpSuccess, NatPmpMapProtocol.Tcp, out var r, out _, out string? error), error);
        Assert.Equal(new NatPmpMapResponse(NatPmpMapProtocol.Tcp, NatPmpResultCode.Success, 7200, 22002, 28175, 3600, false), r);
    }

    [Fact]
    public void Map_udp_response_is_read()
    {
        byte[] datagram =
        [
            0x00,                   // version 0
            0x81,                   // opcode 129: MAP UDP response
            0x00, 0x00,             // result 0
            0x00, 0x00, 0x00, 0x05, // epoch 5 s
            0x1F, 0x90,             // internal port 8080
            0x1F, 0x90,             // mapped external port 8080
            0x00, 0x00, 0x1C, 0x20, // lifetime 7200 s
        ];
        Assert.True(NatPmpResponseReader.TryReadMap(datagram, NatPmpMapProtocol.Udp, out var r, out _, out _));
        Assert.Equal((ushort)8080, r.MappedExternalPort);
        Assert.Equal(7200u, r.LifetimeSeconds);
    }

    [Fact]
    public void Trailing_bytes_are_ignored()
    {
        Assert.True(NatPmpResponseReader.TryReadMap([.. MapTcpSuccess, 0xDE, 0xAD], NatPmpMapProtocol.Tcp, out var r, out _, out _));
        Assert.Equal((ushort)22002, r.InternalPort);
    }

    [Fact]
    public void Full_length_error_answer_keeps_its_fields()
    {
        byte[] datagram =
        [
            0x00,                   // version 0
            0x82,                   // opcode 130
            0x00, 0x02,             // result 2 NotAuthorized
            0x00, 0x00, 0x00, 0x09, // epoch 9 s
            0x1F, 0x90,             // internal port 8080
            0x00, 0x00,             // external port 0
            0x00, 0x00, 0x00, 0x00, // lifetime 0
        ];
        Assert.True(NatPmpResponseReader.TryReadMap(datagram, NatPmpMapProtocol.Tcp, out var r, out _, out _));
        Assert.Equal(NatPmpResultCode.NotAuthorized, r.ResultCode);
        Assert.False(r.IsShortForm);
        Assert.Equal((ushort)8080, r.InternalPort);
    }

    [Theory]
    [InlineData(2, NatPmpResultCode.NotAuthorized)]
    [InlineData(3, NatPmpResultCode.NetworkFailure)]
    [InlineData(4, NatPmpResultCode.OutOfResources)]
    [InlineData(5, NatPmpResultCode.UnsupportedOpcode)]
    public void Short_8_byte_error_answer_is_read_as_its_result_code(byte code, NatPmpResultCode expected)
    {
        byte[] datagram =
        [
            0x00,                   // version 0
            0x80,                   // opcode 128
            0x00, code,             // result
            0x00, 0x00, 0x00, 0x2A, // epoch 42 s
        ];
        Assert.True(NatPmpResponseReader.TryReadExternalAddress(datagram, out var r, out _, out _));
        Assert.Equal(expected, r.ResultCode);
        Assert.Equal(42u, r.EpochSeconds);
        Assert.Null(r.ExternalAddress);
    }

    [Fact]
    public void Unknown_result_code_is_kept_raw()
    {
        byte[] datagram = [0x00, 0x80, 0x01, 0x2C, 0x00, 0x00, 0x00, 0x01]; // result 300
        Assert.True(NatPmpResponseReader.TryReadExternalAddress(datagram, out var r, out _, out _));
        Assert.Equal((ushort)300, (ushort)r.ResultCode);
        Assert.Equal("300 unknown", r.ResultCode.Describe());
        Assert.Equal("2 NotAuthorized", NatPmpResultCode.NotAuthorized.Describe());
    }

    [Fact]
    public void Unsupported_version_answer_is_read_as_result_1()
    {
        byte[] datagram = PmpBytes.Fixture("pcp-answered-with-natpmp-unsupported.hex");
        Assert.Equal(8, datagram.Length);
        Assert.True(NatPmpResponseReader.TryReadMap(datagram, NatPmpMapProtocol.Udp, out var r, out _, out string? error), error);
        Assert.Equal(NatPmpResultCode.UnsupportedVersion, r.ResultCode);
        Assert.True(r.IsShortForm);
        Assert.Equal(7200u, r.EpochSeconds);
    }

    [Fact]
    public void Truncated_ports_answer_parses_but_names_the_wrong_internal_port()
    {
        // The reader reports the fields as sent; the mapper compares them with the request and rejects them.
        byte[] datagram = PmpBytes.Fixture("natpmp-truncated-ports.hex");
        Assert.True(NatPmpResponseReader.TryReadMap(datagram, NatPmpMapProtocol.Tcp, out var r, out _, out _));
        Assert.Equal((ushort)242, r.InternalPort);
        Assert.Equal((ushort)14, r.MappedExternalPort);
        Assert.NotEqual((ushort)22002, r.InternalPort);
    }

    [Fact]
    public void Success_answer_truncated_at_every_length_is_rejected()
    {
        for (int length = 0; length < MapTcpSuccess.Length; length++)
        {
            Assert.False(NatPmpResponseReader.TryReadMap(MapTcpSuccess.AsSpan(0, length), NatPmpMapProtocol.Tcp, out _, out var failure, out string? error));
            Assert.Equal(NatPmpReadFailure.Truncated, failure);
            Assert.False(string.IsNullOrEmpty(error));
        }

        for (int length = 0; length < ExternalAddressSuccess.Length; length++)
        {
            Assert.False(NatPmpResponseReader.TryReadExternalAddress(ExternalAddressSuccess.AsSpan(0, length), out _, out var failure, out _));
            Assert.Equal(NatPmpReadFailure.Truncated, failure);
        }
    }

    [Fact]
    public void Error_answer_shorter_than_8_bytes_is_rejected()
    {
        byte[] datagram = [0x00, 0x82, 0x00, 0x02, 0x00, 0x00, 0x00];
        for (int length = 0; length <= datagram.Length; length++)
        {
            Assert.False(NatPmpResponseReader.TryReadMap(datagram.AsSpan(0, length), NatPmpMapProtocol.Tcp, out _, out var failure, out _));
            Assert.Equal(NatPmpReadFailure.Truncated, failure);
        }
    }

    [Fact]
    public void Wrong_version_is_rejected()
    {
        byte[] datagram = [.. MapTcpSuccess];
        datagram[0] = 2; // a PCP answer
        Assert.False(NatPmpResponseReader.TryReadMap(datagram, NatPmpMapProtocol.Tcp, out _, out var failure, out string? error));
        Assert.Equal(NatPmpReadFailure.WrongVersion, failure);
        Assert.Contains("version 2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_opcode_is_rejected()
    {
        Assert.False(NatPmpResponseReader.TryReadMap(MapTcpSuccess, NatPmpMapProtocol.Udp, out _, out var failure, out string? error));
        Assert.Equal(NatPmpReadFailure.WrongOpcode, failure);
        Assert.Contains("wrong opcode", error, StringComparison.Ordinal);
        Assert.False(NatPmpResponseReader.TryReadExternalAddress(MapTcpSuccess, out _, out failure, out _));
        Assert.Equal(NatPmpReadFailure.WrongOpcode, failure);
    }

    [Fact]
    public void Own_request_echoed_back_is_not_a_response()
    {
        byte[] request = new NatPmpMapRequest(NatPmpMapProtocol.Tcp, 8080, 8080, 7200).ToArray();
        Assert.False(NatPmpResponseReader.TryReadMap([.. request, 0, 0, 0, 0], NatPmpMapProtocol.Tcp, out _, out var failure, out _));
        Assert.Equal(NatPmpReadFailure.NotAResponse, failure);
    }

    [Fact]
    public void Garbage_is_rejected()
    {
        byte[] garbage = "HTTP/1.1 200 OK\r\n\r\n"u8.ToArray();
        Assert.False(NatPmpResponseReader.TryReadMap(garbage, NatPmpMapProtocol.Tcp, out _, out var failure, out _));
        Assert.Equal(NatPmpReadFailure.WrongVersion, failure);
        Assert.False(NatPmpResponseReader.TryReadHeader([], out _, out string? error));
        Assert.NotNull(error);
    }
}
