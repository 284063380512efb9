using System.Buffers.Binary;
using System.Net;
using PortDoctor.Protocol.Stun;

namespace PortDoctor.Protocol.Tests.Stun;

public class StunRfc5769Tests
{
    private static readonly byte[] TransactionId = [0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae];

    private const string Password = "VOkJxbRl1RmTxUk/WvJxBt";

    // RFC 5769 §2.2 Sample IPv4 Response.
    private static readonly byte[] ResponseV4 =
    [
        0x01, 0x01, 0x00, 0x3c, // Binding success response, message length 60
        0x21, 0x12, 0xa4, 0x42, // magic cookie
        0xb7, 0xe7, 0xa7, 0x01, // } transaction id
        0xbc, 0x34, 0xd6, 0x86, // }
        0xfa, 0x87, 0xdf, 0xae, // }
        0x80, 0x22, 0x00, 0x0b, // SOFTWARE, length 11
        0x74, 0x65, 0x73, 0x74, // } "test vector" + 1 byte padding
        0x20, 0x76, 0x65, 0x63, // }
        0x74, 0x6f, 0x72, 0x20, // }
        0x00, 0x20, 0x00, 0x08, // XOR-MAPPED-ADDRESS, length 8
        0x00, 0x01, 0xa1, 0x47, // family IPv4, port 32853 XOR 0x2112
        0xe1, 0x12, 0xa6, 0x43, // 192.0.2.1 XOR 0x2112a442
        0x00, 0x08, 0x00, 0x14, // MESSAGE-INTEGRITY, length 20
        0x2b, 0x91, 0xf5, 0x99, // } HMAC-SHA1
        0xfd, 0x9e, 0x90, 0xc3, // }
        0x8c, 0x74, 0x89, 0xf9, // }
        0x2a, 0xf9, 0xba, 0x53, // }
        0xf0, 0x6b, 0xe7, 0xd7, // }
        0x80, 0x28, 0x00, 0x04, // FINGERPRINT, length 4
        0xc0, 0x7d, 0x4c, 0x96, // CRC-32 XOR 0x5354554e
    ];

    // RFC 5769 §2.3 Sample IPv6 Response.
    private static readonly byte[] ResponseV6 =
    [
        0x01, 0x01, 0x00, 0x48, // Binding success response, message length 72
        0x21, 0x12, 0xa4, 0x42, // magic cookie
        0xb7, 0xe7, 0xa7, 0x01, // } transaction id
        0xbc, 0x34, 0xd6, 0x86, // }
        0xfa, 0x87, 0xdf, 0xae, // }
        0x80, 0x22, 0x00, 0x0b, // SOFTWARE, length 11
        0x74, 0x65, 0x73, 0x74, // } "test vector" + padding
        0x20, 0x76, 0x65, 0x63, // }
        0x74, 0x6f, 0x72, 0x20, // }
        0x00, 0x20, 0x00, 0x14, // XOR-MAPPED-ADDRESS, length 20
        0x00, 0x02, 0xa1, 0x47, // family IPv6, port 32853 XOR 0x2112
        0x01, 0x13, 0xa9, 0xfa, // } 2001:db8:1234:5678:11:2233:4455:6677
        0xa5, 0xd3, 0xf1, 0x79, // } XOR cookie + transaction id
        0xbc, 0x25, 0xf4, 0xb5, // }
        0xbe, 0xd2, 0xb9, 0xd9, // }
        0x00, 0x08, 0x00, 0x14, // MESSAGE-INTEGRITY, length 20
        0xa3, 0x82, 0x95, 0x4e, // } HMAC-SHA1
        0x4b, 0xe6, 0x7b, 0xf1, // }
        0x17, 0x84, 0xc9, 0x7c, // }
        0x82, 0x92, 0xc2, 0x75, // }
        0xbf, 0xe3, 0xed, 0x41, // }
        0x80, 0x28, 0x00, 0x04, // FINGERPRINT, length 4
        0xc8, 0xfb, 0x0b, 0x4c, // CRC-32 XOR 0x5354554e
    ];

    // RFC 5769 §2.1 Sample Request (Binding request with ICE attributes).
    private static readonly byte[] Request =
    [
        0x00, 0x01, 0x00, 0x58, // Binding request, message length 88
        0x21, 0x12, 0xa4, 0x42, // magic cookie
        0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, // transaction id
        0x80, 0x22, 0x00, 0x10, // SOFTWARE, length 16: "STUN test client"
        0x53, 0x54, 0x55, 0x4e, 0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74,
        0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff, // PRIORITY
        0x80, 0x29, 0x00, 0x08, 0x93, 0x2f, 0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36, // ICE-CONTROLLED
        0x00, 0x06, 0x00, 0x09, 0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68, 0x36, 0x76, 0x59, 0x20, 0x20, 0x20, // USERNAME "evtj:h6vY" + padding
        0x00, 0x08, 0x00, 0x14, // MESSAGE-INTEGRITY
        0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e, 0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5, 0x71, 0xa2,
        0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf, // FINGERPRINT
    ];

    [Fact]
    public void Reads_the_ipv4_sample_response()
    {
        Assert.Equal(StunReadError.None, StunMessageReader.TryReadBindingResponse(ResponseV4, TransactionId, out var response));
        Assert.True(response!.IsSuccess);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), response.MappedEndPoint);
        Assert.Equal("test vector", response.Software);
        Assert.True(response.HasFingerprint);
        Assert.True(StunMessageIntegrity.Verify(ResponseV4, response.MessageIntegrityOffset, Password));
        Assert.False(StunMessageIntegrity.Verify(ResponseV4, response.MessageIntegrityOffset, "wrong password"));
    }

    [Fact]
    public void Reads_the_ipv6_sample_response()
    {
        Assert.Equal(StunReadError.None, StunMessageReader.TryReadBindingResponse(ResponseV6, TransactionId, out var response));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), response!.MappedEndPoint);
        Assert.True(StunMessageIntegrity.Verify(ResponseV6, response.MessageIntegrityOffset, Password));
    }

    [Fact]
    public void The_sample_request_fingerprint_and_integrity_check_out()
    {
        // Our fingerprint over everything before the last attribute equals the vector's value.
        int fingerprintAt = Request.Length - 8;
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(Request.AsSpan(fingerprintAt + 4)), StunFingerprint.Compute(Request.AsSpan(0, fingerprintAt)));
        Assert.True(StunMessageIntegrity.Verify(Request, fingerprintAt - 24, Password));
        Assert.True(StunMessageReader.LooksLikeStun(Request));
    }

    [Fact]
    public void A_foreign_transaction_is_rejected()
    {
        var other = (byte[])TransactionId.Clone();
        other[11] ^= 1;
        Assert.Equal(StunReadError.WrongTransaction, StunMessageReader.TryReadBindingResponse(ResponseV4, other, out _));
    }

    [Fact]
    public void A_bad_fingerprint_is_rejected()
    {
        var bad = (byte[])ResponseV4.Clone();
        bad[^1] ^= 0xff;
        Assert.Equal(StunReadError.BadFingerprint, StunMessageReader.TryReadBindingResponse(bad, TransactionId, out _));
    }

    [Fact]
    public void Every_truncation_is_rejected_without_throwing()
    {
        for (int length = 0; length < ResponseV4.Length; length++)
        {
            var result = StunMessageReader.TryReadBindingResponse(ResponseV4.AsSpan(0, length), TransactionId, out var response);
            Assert.NotEqual(StunReadError.None, result);
            Assert.Null(response);
        }
    }

    [Fact]
    public void A_request_is_not_a_response_and_non_stun_is_not_stun()
    {
        Assert.Equal(StunReadError.UnexpectedType, StunMessageReader.TryReadBindingResponse(Request, TransactionId, out _));
        var notStun = (byte[])ResponseV4.Clone();
        notStun[4] = 0; // no magic cookie
        Assert.Equal(StunReadError.NotStun, StunMessageReader.TryReadBindingResponse(notStun, TransactionId, out _));
    }

    [Fact]
    public void An_error_response_reports_code_and_reason()
    {
        byte[] error =
        [
            0x01, 0x11, 0x00, 0x10, // Binding error response, length 16
            0x21, 0x12, 0xa4, 0x42, // magic cookie
            0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, // transaction id
            0x00, 0x09, 0x00, 0x0b, // ERROR-CODE, length 11
            0x00, 0x00, 0x04, 0x00, // class 4, number 0 → 400
            0x42, 0x61, 0x64, 0x20, 0x52, 0x65, 0x71, 0x00, // "Bad Req" + 1 padding byte
        ];
        Assert.Equal(StunReadError.None, StunMessageReader.TryReadBindingResponse(error, TransactionId, out var response));
        Assert.False(response!.IsSuccess);
        Assert.Equal(400, response.ErrorCode);
        Assert.Equal("Bad Req", response.ErrorReason);
        Assert.Null(response.MappedEndPoint);
    }

    [Fact]
    public void A_success_without_an_address_is_rejected()
    {
        byte[] empty =
        [
            0x01, 0x01, 0x00, 0x00, // Binding success, no attributes
            0x21, 0x12, 0xa4, 0x42,
            0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
        ];
        Assert.Equal(StunReadError.NoMappedAddress, StunMessageReader.TryReadBindingResponse(empty, TransactionId, out _));
    }

    [Fact]
    public void Plain_mapped_address_from_an_old_server_is_used_when_xor_is_absent()
    {
        byte[] old =
        [
            0x01, 0x01, 0x00, 0x0c, // Binding success, length 12
            0x21, 0x12, 0xa4, 0x42,
            0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
            0x00, 0x01, 0x00, 0x08, // MAPPED-ADDRESS, length 8
            0x00, 0x01, 0x1f, 0x90, // IPv4, port 8080
            0x0b, 0x00, 0x00, 0x02, // 11.0.0.2
        ];
        Assert.Equal(StunReadError.None, StunMessageReader.TryReadBindingResponse(old, TransactionId, out var response));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("11.0.0.2"), 8080), response!.MappedEndPoint);
    }

    [Fact]
    public void Builds_a_binding_request_field_by_field()
    {
        var buffer = new byte[64];
        Assert.True(StunMessageWriter.TryWriteBindingRequest(buffer, TransactionId, "pd", fingerprint: true, out int written));
        byte[] expected =
        [
            0x00, 0x01, 0x00, 0x10, // Binding request, length 16 (SOFTWARE 8 + FINGERPRINT 8)
            0x21, 0x12, 0xa4, 0x42, // magic cookie
            0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, // transaction id
            0x80, 0x22, 0x00, 0x02, // SOFTWARE, length 2
            0x70, 0x64, 0x00, 0x00, // "pd" + padding
            0x80, 0x28, 0x00, 0x04, // FINGERPRINT
        ];
        Assert.Equal(expected, buffer.AsSpan(0, written - 4).ToArray());
        Assert.Equal(StunFingerprint.Compute(buffer.AsSpan(0, written - 8)), BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(written - 4)));
        Assert.Equal(StunMessageWriter.BindingRequestLength("pd", true), written);
    }

    [Fact]
    public void Refuses_a_short_buffer_or_a_bad_transaction_id()
    {
        Assert.False(StunMessageWriter.TryWriteBindingRequest(new byte[19], TransactionId, null, false, out _));
        Assert.False(StunMessageWriter.TryWriteBindingRequest(new byte[64], new byte[11], null, false, out _));
        Assert.True(StunMessageWriter.TryWriteBindingRequest(new byte[20], TransactionId, null, false, out int n));
        Assert.Equal(20, n);
    }

    [FsCheck.Xunit.Property]
    public bool Reader_never_throws_on_arbitrary_bytes(byte[] data)
    {
        _ = StunMessageReader.TryReadBindingResponse(data ?? [], TransactionId, out _);
        return true;
    }

    [FsCheck.Xunit.Property]
    public bool Reader_never_throws_when_a_valid_header_carries_garbage(byte[] tail)
    {
        tail ??= [];
        var message = new byte[20 + (tail.Length & ~3)];
        ResponseV4.AsSpan(0, 20).CopyTo(message);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)(message.Length - 20));
        tail.AsSpan(0, message.Length - 20).CopyTo(message.AsSpan(20));
        _ = StunMessageReader.TryReadBindingResponse(message, TransactionId, out _);
        return true;
    }
}
