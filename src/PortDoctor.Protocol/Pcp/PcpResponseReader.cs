using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using PortDoctor.Protocol.NatPmp;

namespace PortDoctor.Protocol.Pcp;

/// <summary>
/// Reads PCP responses (RFC 6887 §7.2, §8.3, §11.3) and matches them to the request they should answer.
/// A NAT-PMP "unsupported version" answer (RFC 6887 §9, docs/quirks.md#Q-PCP-NATPMP-ONLY) is recognised from its first
/// 4 bytes. Options are walked and skipped (§7.3). Never throws.
/// </summary>
public static class PcpResponseReader
{
    /// <summary>Reads a response to ANNOUNCE.</summary>
    /// <param name="datagram">The UDP payload.</param>
    /// <param name="response">The response when the result is true; an error result code is a successful read.</param>
    /// <param name="failure">Why the datagram was rejected, when the result is false.</param>
    /// <param name="error">A message naming the problem, when the result is false.</param>
    /// <returns>True when the datagram is a PCP ANNOUNCE response.</returns>
    public static bool TryReadAnnounce(ReadOnlySpan<byte> datagram, [NotNullWhen(true)] out PcpResponse? response, out PcpReadFailure failure, [NotNullWhen(false)] out string? error)
    {
        response = null;
        if (!TryReadHeader(datagram, PcpOpcode.Announce, out PcpResultCode result, out uint lifetime, out uint epoch, out failure, out error)
            || !TryReadOptions(datagram[PcpWire.HeaderBytes..], out List<byte> options, out failure, out error))
        {
            return false;
        }

        response = new PcpResponse(PcpOpcode.Announce, result, lifetime, epoch, null, options);
        return true;
    }

    /// <summary>Reads a response to the MAP request <paramref name="request"/> and checks that it answers it:
    /// same nonce, protocol and internal port (RFC 6887 §11.3).</summary>
    /// <param name="datagram">The UDP payload.</param>
    /// <param name="request">The request sent.</param>
    /// <param name="response">The response when the result is true; an error result code is a successful read.
    /// An error answer may lack the MAP body (<see cref="PcpResponse.Map"/> null).</param>
    /// <param name="failure">Why the datagram was rejected, when the result is false; the client keeps waiting on
    /// <see cref="PcpReadFailure.WrongNonce"/> and the other mismatches, and falls back on <see cref="PcpReadFailure.NatPmpOnly"/>.</param>
    /// <param name="error">A message naming the problem, when the result is false.</param>
    /// <returns>True when the datagram is a MAP response to <paramref name="request"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public static bool TryReadMap(ReadOnlySpan<byte> datagram, PcpMapRequest request, [NotNullWhen(true)] out PcpResponse? response, out PcpReadFailure failure, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        response = null;
        if (!TryReadHeader(datagram, PcpOpcode.Map, out PcpResultCode result, out uint lifetime, out uint epoch, out failure, out error))
        {
            return false;
        }

        if (datagram.Length < PcpWire.MapRequestBytes)
        {
            if (result == PcpResultCode.Success)
            {
                failure = PcpReadFailure.Truncated;
                error = $"{datagram.Length}-byte MAP success answer lacks the {PcpWire.MapBodyBytes}-byte MAP body";
                return false;
            }

            // Some servers answer errors with the header alone; nothing to match, but the code is still the answer.
            response = new PcpResponse(PcpOpcode.Map, result, lifetime, epoch, null, []);
            return true;
        }

        ReadOnlySpan<byte> body = datagram.Slice(PcpWire.HeaderBytes, PcpWire.MapBodyBytes);
        var map = new PcpMapBody(
            PcpNonce.FromBytes(body[..PcpWire.NonceBytes]),
            (PcpMapProtocol)body[12],
            BinaryPrimitives.ReadUInt16BigEndian(body[16..]),
            BinaryPrimitives.ReadUInt16BigEndian(body[18..]),
            PcpAddress.Read(body[20..]));
        if (map.Nonce != request.Nonce)
        {
            failure = PcpReadFailure.WrongNonce;
            error = $"wrong nonce: {map.Nonce.ToHex()}, expected {request.Nonce.ToHex()}";
            return false;
        }

        if (map.Protocol != request.Protocol)
        {
            failure = PcpReadFailure.WrongProtocol;
            error = string.Create(CultureInfo.InvariantCulture, $"wrong protocol: {(byte)map.Protocol}, expected {(byte)request.Protocol}");
            return false;
        }

        if (map.InternalPort != request.InternalPort)
        {
            failure = PcpReadFailure.WrongInternalPort;
            error = string.Create(CultureInfo.InvariantCulture, $"wrong internal port: {map.InternalPort}, expected {request.InternalPort}");
            return false;
        }

        if (!TryReadOptions(datagram[PcpWire.MapRequestBytes..], out List<byte> options, out failure, out error))
        {
            return false;
        }

        response = new PcpResponse(PcpOpcode.Map, result, lifetime, epoch, map, options);
        return true;
    }

    private static bool TryReadHeader(
        ReadOnlySpan<byte> datagram,
        PcpOpcode expected,
        out PcpResultCode result,
        out uint lifetime,
        out uint epoch,
        out PcpReadFailure failure,
        [NotNullWhen(false)] out string? error)
    {
        result = default;
        lifetime = epoch = 0;
        if (datagram.IsEmpty)
        {
            failure = PcpReadFailure.Truncated;
            error = "empty datagram";
            return false;
        }

        if (datagram[0] == NatPmpWire.Version)
        {
            return NatPmpAnswer(datagram, out failure, out error);
        }

        if (datagram.Length < PcpWire.HeaderBytes)
        {
            failure = PcpReadFailure.Truncated;
            error = $"{datagram.Length}-byte datagram is shorter than the {PcpWire.HeaderBytes}-byte PCP header";
            return false;
        }

        if (datagram.Length > PcpWire.MaxMessageBytes || datagram.Length % 4 != 0)
        {
            failure = PcpReadFailure.Malformed;
            error = $"{datagram.Length}-byte datagram is not a PCP message (at most {PcpWire.MaxMessageBytes} bytes, a multiple of 4)";
            return false;
        }

        if (datagram[0] != PcpWire.Version)
        {
            failure = PcpReadFailure.WrongVersion;
            error = $"version {datagram[0]} is not PCP version {PcpWire.Version}";
            return false;
        }

        if ((datagram[1] & PcpWire.ResponseBit) == 0)
        {
            failure = PcpReadFailure.NotAResponse;
            error = "the R bit is clear: a request, not a response";
            return false;
        }

        var opcode = (PcpOpcode)(datagram[1] & ~PcpWire.ResponseBit);
        if (opcode != expected)
        {
            failure = PcpReadFailure.WrongOpcode;
            error = string.Create(CultureInfo.InvariantCulture, $"wrong opcode: {(byte)opcode}, expected {(byte)expected}");
            return false;
        }

        result = (PcpResultCode)datagram[3];
        lifetime = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        epoch = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]);
        failure = PcpReadFailure.None;
        error = null;
        return true;
    }

    private static bool NatPmpAnswer(ReadOnlySpan<byte> datagram, out PcpReadFailure failure, out string error)
    {
        if (!NatPmpResponseReader.TryReadHeader(datagram, out NatPmpResponseHeader header, out string? headerError))
        {
            failure = PcpReadFailure.Truncated;
            error = $"NAT-PMP version byte, but {headerError}";
            return false;
        }

        if (header.Opcode >= NatPmpWire.ResponseFlag && header.ResultCode == NatPmpResultCode.UnsupportedVersion)
        {
            failure = PcpReadFailure.NatPmpOnly;
            error = "the server answered with NAT-PMP result 1 (unsupported version): it speaks only NAT-PMP";
            return false;
        }

        failure = PcpReadFailure.WrongVersion;
        error = string.Create(CultureInfo.InvariantCulture, $"a NAT-PMP datagram (opcode {header.Opcode}, result {header.ResultCode.Describe()}), not a PCP response");
        return false;
    }

    private static bool TryReadOptions(ReadOnlySpan<byte> rest, out List<byte> codes, out PcpReadFailure failure, [NotNullWhen(false)] out string? error)
    {
        codes = [];
        while (!rest.IsEmpty)
        {
            if (rest.Length < PcpWire.OptionHeaderBytes)
            {
                failure = PcpReadFailure.Malformed;
                error = $"{rest.Length} stray bytes after the last option";
                return false;
            }

            byte code = rest[0];
            int length = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            int padded = (length + 3) & ~3; // option data is padded to a multiple of 4 (§7.3)
            if (PcpWire.OptionHeaderBytes + padded > rest.Length)
            {
                failure = PcpReadFailure.Malformed;
                error = string.Create(CultureInfo.InvariantCulture, $"option {code} claims {length} bytes but only {rest.Length - PcpWire.OptionHeaderBytes} remain");
                return false;
            }

            codes.Add(code);
            rest = rest[(PcpWire.OptionHeaderBytes + padded)..];
        }

        failure = PcpReadFailure.None;
        error = null;
        return true;
    }
}
