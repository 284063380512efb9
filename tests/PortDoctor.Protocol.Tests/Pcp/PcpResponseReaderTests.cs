using System.Net;
using PortDoctor.Protocol.NatPmp;
using PortDoctor.Protocol.Pcp;
using PortDoctor.Protocol.Tests.NatPmp;

namespace PortDoctor.Protocol.Tests.Pcp;

public class PcpResponseReaderTests
{
    private static readonly PcpMapRequest Request =
        new(PcpRequestTests.Nonce, PcpMapProtocol.Tcp, 8080, 8080, PcpAddress.AnyIPv4, 7200, PcpRequestTests.Client);

    internal static byte[] MapSuccess() =>
    [
        // common response header (RFC 6887 §7.2)
        0x02,                   // version 2
        0x81,                   // R=1, opcode 1 MAP
        0x00,                   // reserved
        0x00,                   // result 0 SUCCESS
        0x00, 0x00, 0x0E, 0x10, // lifetime 3600 s
        0x00, 0x00, 0x00, 0x64, // epoch 100 s
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // reserved 96 bits
        // MAP body (§11.1)
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, // nonce echoed
        0x06,                   // protocol TCP
        0x00, 0x00, 0x00,       // reserved
        0x1F, 0x90,             // internal port 8080
        0x1F, 0x91,             // assigned external port 8081
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x0B, 0x00, 0x00, 0x02, // ::ffff:11.0.0.2
    ];

    [Fact]
    public void Map_success_is_read()
    {
        Assert.True(PcpResponseReader.TryReadMap(MapSuccess(), Request, out PcpResponse? r, out var failure, out string? error), error);
        Assert.Equal(PcpReadFailure.None, failure);
        Assert.Equal(PcpOpcode.Map, r.Opcode);
        Assert.Equal(PcpResultCode.Success, r.ResultCode);
        Assert.Equal(3600u, r.LifetimeSeconds);
        Assert.Equal(100u, r.EpochSeconds);
        Assert.Empty(r.OptionCodes);
        Assert.Equal(new PcpMapBody(PcpRequestTests.Nonce, PcpMapProtocol.Tcp, 8080, 8081, IPAddress.Parse("11.0.0.2")), r.Map);
    }

    [Fact]
    public void Announce_success_is_read()
    {
        byte[] datagram =
        [
            0x02,                   // version 2
            0x80,                   // R=1, opcode 0 ANNOUNCE
            0x00,                   // reserved
            0x00,                   // result SUCCESS
            0x00, 0x00, 0x00, 0x00, // lifetime 0
            0x00, 0x00, 0x30, 0x39, // epoch 12345 s
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // reserved
        ];
        Assert.True(PcpResponseReader.TryReadAnnounce(datagram, out PcpResponse? r, out _, out string? error), error);
        Assert.Equal(12345u, r.EpochSeconds);
        Assert.Null(r.Map);
    }

    [Fact]
    public void Unknown_options_are_skipped()
    {
        byte[] datagram =
        [
            .. MapSuccess(),
            0x80, 0x00, 0x00, 0x05, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0x00, 0x00, 0x00, // optional option 128, 5 bytes + 3 padding
            0x03, 0x00, 0x00, 0x00,                                                 // option 3 (FILTER) with no data
        ];
        Assert.True(PcpResponseReader.TryReadMap(datagram, Request, out PcpResponse? r, out _, out string? error), error);
        Assert.Equal(new byte[] { 0x80, 0x03 }, r.OptionCodes);
        Assert.Equal((ushort)8081, r.Map!.AssignedExternalPort);
    }

    [Fact]
    public void Option_running_past_the_end_is_malformed()
    {
        byte[] datagram = [.. MapSuccess(), 0x80, 0x00, 0x00, 0x09, 1, 2, 3, 4];
        Assert.False(PcpResponseReader.TryReadMap(datagram, Request, out _, out var failure, out string? error));
        Assert.Equal(PcpReadFailure.Malformed, failure);
        Assert.Contains("option 128", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, PcpResultCode.NotAuthorized)]
    [InlineData(8, PcpResultCode.NoResources)]
    [InlineData(11, PcpResultCode.CannotProvideExternal)]
    [InlineData(13, PcpResultCode.ExcessiveRemotePeers)]
    [InlineData(200, (PcpResultCode)200)]
    public void Error_results_come_back_as_data(byte code, PcpResultCode expected)
    {
        byte[] datagram = MapSuccess();
        datagram[3] = code;
        Assert.True(PcpResponseReader.TryReadMap(datagram, Request, out PcpResponse? r, out _, out _));
        Assert.Equal(expected, r.ResultCode);
    }

    [Fact]
    public void Header_only_error_answer_is_accepted_without_a_body()
    {
        byte[] datagram = MapSuccess()[..24];
        datagram[3] = (byte)PcpResultCode.MalformedRequest;
        Assert.True(PcpResponseReader.TryReadMap(datagram, Request, out PcpResponse? r, out _, out _));
        Assert.Equal(PcpResultCode.MalformedRequest, r.ResultCode);
        Assert.Null(r.Map);
    }

    [Fact]
    public void Header_only_success_answer_is_truncated()
    {
        Assert.False(PcpResponseReader.TryReadMap(MapSuccess().AsSpan(0, 24), Request, out _, out var failure, out _));
        Assert.Equal(PcpReadFailure.Truncated, failure);
    }

    [Fact]
    public void Truncated_at_every_length_is_rejected_without_throwing()
    {
        byte[] full = MapSuccess();
        for (int length = 0; length < full.Length; length++)
        {
            Assert.False(PcpResponseReader.TryReadMap(full.AsSpan(0, length), Request, out _, out var failure, out string? error));
            Assert.True(failure is PcpReadFailure.Truncated or PcpReadFailure.Malformed, $"length {length}: {failure}");
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    [Fact]
    public void Wrong_nonce_is_reported()
    {
        byte[] datagram = MapSuccess();
        datagram[35] ^= 0xFF;
        Assert.False(PcpResponseReader.TryReadMap(datagram, Request, out _, out var failure, out string? error));
        Assert.Equal(PcpReadFailure.WrongNonce, failure);
        Assert.StartsWith("wrong nonce", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_protocol_and_internal_port_are_reported()
    {
        byte[] datagram = MapSuccess();
        datagram[36] = 17;
        Assert.False(PcpResponseReader.TryReadMap(datagram, Request, out _, out var failure, out _));
        Assert.Equal(PcpReadFailure.WrongProtocol, failure);

        datagram = MapSuccess();
        datagram[41] = 0x91; // internal port 8081
        Assert.False(PcpResponseReader.TryReadMap(datagram, Request, out _, out failure, out _));
        Assert.Equal(PcpReadFailure.WrongInternalPort, failure);
    }

    [Fact]
    public void Wrong_opcode_and_missing_r_bit_are_reported()
    {
        byte[] datagram = MapSuccess();
        datagram[1] = 0x82; // PEER response
        Assert.False(PcpResponseReader.TryReadMap(datagram, Request, out _, out var failure, out string? error));
        Assert.Equal(PcpReadFailure.WrongOpcode, failure);
        Assert.StartsWith("wrong opcode", error, StringComparison.Ordinal);
        Assert.False(PcpResponseReader.TryReadAnnounce(MapSuccess(), out _, out failure, out _));
        Assert.Equal(PcpReadFailure.WrongOpcode, failure);

        Assert.False(PcpResponseReader.TryReadMap(Request.ToArray(), Request, out _, out failure, out _));
        Assert.Equal(PcpReadFailure.NotAResponse, failure);
    }

    [Fact]
    public void Wrong_version_is_reported()
    {
        byte[] datagram = MapSuccess();
        datagram[0] = 1;
        Assert.False(PcpResponseReader.TryReadMap(datagram, Request, out _, out var failure, out _));
        Assert.Equal(PcpReadFailure.WrongVersion, failure);
    }

    [Fact]
    public void Oversized_or_unaligned_datagram_is_malformed()
    {
        Assert.False(PcpResponseReader.TryReadMap([.. MapSuccess(), 0], Request, out _, out var failure, out _));
        Assert.Equal(PcpReadFailure.Malformed, failure);
        byte[] huge = new byte[1104];
        MapSuccess().CopyTo(huge, 0);
        Assert.False(PcpResponseReader.TryReadMap(huge, Request, out _, out failure, out _));
        Assert.Equal(PcpReadFailure.Malformed, failure);
    }

    [Fact]
    public void Eight_byte_natpmp_unsupported_version_means_natpmp_only()
    {
        byte[] datagram = PmpBytes.Fixture("pcp-answered-with-natpmp-unsupported.hex");
        Assert.False(PcpResponseReader.TryReadMap(datagram, Request, out _, out var failure, out string? error));
        Assert.Equal(PcpReadFailure.NatPmpOnly, failure);
        Assert.Contains("only NAT-PMP", error, StringComparison.Ordinal);
        Assert.False(PcpResponseReader.TryReadAnnounce(datagram, out _, out failure, out _));
        Assert.Equal(PcpReadFailure.NatPmpOnly, failure);
    }

    [Fact]
    public void Twelve_byte_natpmp_unsupported_version_means_natpmp_only_too()
    {
        byte[] datagram = [0x00, 0x80, 0x00, 0x01, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00];
        Assert.False(PcpResponseReader.TryReadAnnounce(datagram, out _, out var failure, out _));
        Assert.Equal(PcpReadFailure.NatPmpOnly, failure);
    }

    [Fact]
    public void Other_natpmp_answers_are_not_the_fallback_signal()
    {
        byte[] notAuthorized = [0x00, 0x81, 0x00, 0x02, 0x00, 0x00, 0x00, 0x10];
        Assert.False(PcpResponseReader.TryReadMap(notAuthorized, Request, out _, out var failure, out _));
        Assert.Equal(PcpReadFailure.WrongVersion, failure);
        Assert.False(PcpResponseReader.TryReadMap([0x00, 0x81, 0x00], Request, out _, out failure, out _));
        Assert.Equal(PcpReadFailure.Truncated, failure);
        byte[] request = [0x00, 0x01, 0x00, 0x01];
        Assert.False(PcpResponseReader.TryReadMap(request, Request, out _, out failure, out _));
        Assert.Equal(PcpReadFailure.WrongVersion, failure);
    }

    [Fact]
    public void Result_codes_have_rfc_names()
    {
        Assert.Equal("11 CANNOT_PROVIDE_EXTERNAL", PcpResultCode.CannotProvideExternal.Describe());
        Assert.Equal("13 EXCESSIVE_REMOTE_PEERS", PcpResultCode.ExcessiveRemotePeers.Describe());
        Assert.Equal("200 unknown", ((PcpResultCode)200).Describe());
        Assert.Equal(14, Enum.GetValues<PcpResultCode>().Length);
        Assert.Equal(NatPmpResultCode.UnsupportedVersion, (NatPmpResultCode)1);
    }
}
