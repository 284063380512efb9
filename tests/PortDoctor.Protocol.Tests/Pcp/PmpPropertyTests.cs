using System.Buffers.Binary;
using System.Net;
using FsCheck;
using FsCheck.Xunit;
using PortDoctor.Protocol.NatPmp;
using PortDoctor.Protocol.Pcp;

namespace PortDoctor.Protocol.Tests.Pcp;

public class PmpPropertyTests
{
    [Property(MaxTest = 500)]
    public void Readers_never_throw_on_arbitrary_bytes(byte[] datagram, bool tcp, ushort port)
    {
        datagram ??= [];
        var protocol = tcp ? NatPmpMapProtocol.Tcp : NatPmpMapProtocol.Udp;
        NatPmpResponseReader.TryReadHeader(datagram, out _, out _);
        Check(NatPmpResponseReader.TryReadExternalAddress(datagram, out _, out var f1, out string? e1), f1 == NatPmpReadFailure.None, e1);
        Check(NatPmpResponseReader.TryReadMap(datagram, protocol, out _, out var f2, out string? e2), f2 == NatPmpReadFailure.None, e2);
        var request = new PcpMapRequest(PcpRequestTests.Nonce, PcpMapProtocol.Udp, port, port, PcpAddress.AnyIPv4, 1, PcpRequestTests.Client);
        Check(PcpResponseReader.TryReadMap(datagram, request, out var r3, out var f3, out string? e3), f3 == PcpReadFailure.None && r3 is not null, e3);
        Check(PcpResponseReader.TryReadAnnounce(datagram, out var r4, out var f4, out string? e4), f4 == PcpReadFailure.None && r4 is not null, e4);
    }

    [Property(MaxTest = 300)]
    public void Pcp_readers_never_throw_on_arbitrary_options(byte[] tail)
    {
        // A valid MAP answer followed by random bytes padded to a multiple of 4: the option walk must not throw.
        byte[] body = tail ?? [];
        byte[] datagram = [.. PcpResponseReaderTests.MapSuccess(), .. body, .. new byte[(4 - (body.Length % 4)) % 4]];
        var request = new PcpMapRequest(PcpRequestTests.Nonce, PcpMapProtocol.Tcp, 8080, 8080, PcpAddress.AnyIPv4, 1, PcpRequestTests.Client);
        bool ok = PcpResponseReader.TryReadMap(datagram, request, out _, out var failure, out _);
        Assert.True(ok || failure == PcpReadFailure.Malformed);
    }

    [Property(MaxTest = 300)]
    public void Natpmp_map_response_round_trips(bool tcp, ushort result, uint epoch, ushort internalPort, ushort externalPort, uint lifetime)
    {
        var protocol = tcp ? NatPmpMapProtocol.Tcp : NatPmpMapProtocol.Udp;
        byte[] datagram = new byte[16];
        datagram[1] = (byte)(128 + (byte)protocol);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), result);
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(4), epoch);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(8), internalPort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(10), externalPort);
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(12), lifetime);
        Assert.True(NatPmpResponseReader.TryReadMap(datagram, protocol, out var r, out _, out _));
        Assert.Equal(new NatPmpMapResponse(protocol, (NatPmpResultCode)result, epoch, internalPort, externalPort, lifetime, false), r);
    }

    [Property(MaxTest = 300)]
    public void Natpmp_map_request_fields_round_trip(bool tcp, ushort internalPort, ushort externalPort, uint lifetime)
    {
        var request = new NatPmpMapRequest(tcp ? NatPmpMapProtocol.Tcp : NatPmpMapProtocol.Udp, internalPort, externalPort, lifetime);
        byte[] bytes = request.ToArray();
        var back = new NatPmpMapRequest(
            (NatPmpMapProtocol)bytes[1],
            BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(4)),
            BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(6)),
            BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8)));
        Assert.Equal(request, back);
        Assert.Equal(0, bytes[0]);
    }

    [Property(MaxTest = 300)]
    public void Pcp_map_request_written_then_answered_reads_back_the_same_fields(byte[] nonceSeed, bool tcp, ushort internalPort, ushort externalPort, uint lifetime, uint epoch, uint address, byte result)
    {
        byte[] nonceBytes = new byte[12];
        (nonceSeed ?? []).AsSpan(0, Math.Min(12, nonceSeed?.Length ?? 0)).CopyTo(nonceBytes);
        var nonce = PcpNonce.FromBytes(nonceBytes);
        var external = new IPAddress(address);
        var request = new PcpMapRequest(nonce, tcp ? PcpMapProtocol.Tcp : PcpMapProtocol.Udp, internalPort, externalPort, external, lifetime, PcpRequestTests.Client);

        // A server's answer is the request with the R bit, result, epoch, and the reserved client address zeroed.
        byte[] answer = request.ToArray();
        answer[1] |= PcpWire.ResponseBit;
        answer[2] = 0;
        answer[3] = result;
        BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(8), epoch);
        answer.AsSpan(12, 12).Clear();
        Assert.True(PcpResponseReader.TryReadMap(answer, request, out var r, out _, out string? error), error);
        Assert.Equal((PcpResultCode)result, r.ResultCode);
        Assert.Equal(lifetime, r.LifetimeSeconds);
        Assert.Equal(epoch, r.EpochSeconds);
        Assert.Equal(new PcpMapBody(nonce, request.Protocol, internalPort, externalPort, external), r.Map);
        Assert.True(PcpNonce.TryParseHex(nonce.ToHex(), out PcpNonce again) && again == nonce);
    }

    private static void Check(bool ok, bool consistent, string? error) =>
        Assert.True(ok ? consistent && error is null : !consistent && !string.IsNullOrEmpty(error));
}
