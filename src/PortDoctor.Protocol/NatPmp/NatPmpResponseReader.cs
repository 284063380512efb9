using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace PortDoctor.Protocol.NatPmp;

/// <summary>
/// Reads NAT-PMP responses (RFC 6886 §3.2, §3.3, §3.5). The 4-byte header is read first so that an error
/// answer carrying only header and epoch (8 bytes, docs/quirks.md#Q-NATPMP-SHORT-ERROR) is still understood as its result
/// code. Longer datagrams than the format are accepted (the extra bytes are ignored). Never throws.
/// </summary>
public static class NatPmpResponseReader
{
    /// <summary>Reads the version, opcode and result code.</summary>
    /// <param name="datagram">The UDP payload.</param>
    /// <param name="header">The header when the result is true.</param>
    /// <param name="error">Why the datagram has no header, when the result is false.</param>
    /// <returns>True when at least 4 bytes were there. The version is not checked here.</returns>
    public static bool TryReadHeader(ReadOnlySpan<byte> datagram, out NatPmpResponseHeader header, [NotNullWhen(false)] out string? error)
    {
        if (datagram.Length < NatPmpWire.ResponseHeaderBytes)
        {
            header = default;
            error = $"{datagram.Length}-byte datagram is shorter than the {NatPmpWire.ResponseHeaderBytes}-byte NAT-PMP header";
            return false;
        }

        header = new NatPmpResponseHeader(datagram[0], datagram[1], (NatPmpResultCode)BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]));
        error = null;
        return true;
    }

    /// <summary>Reads an external address response (opcode 128).</summary>
    /// <param name="datagram">The UDP payload.</param>
    /// <param name="response">The response when the result is true; an error result code is a successful read.</param>
    /// <param name="failure">Why the datagram was rejected, when the result is false.</param>
    /// <param name="error">A message naming the problem, when the result is false.</param>
    /// <returns>True when the datagram is an external address response.</returns>
    public static bool TryReadExternalAddress(ReadOnlySpan<byte> datagram, out NatPmpExternalAddressResponse response, out NatPmpReadFailure failure, [NotNullWhen(false)] out string? error)
    {
        response = default;
        const byte expected = NatPmpWire.ResponseFlag + NatPmpWire.ExternalAddressOpcode;
        if (!TryReadCommon(datagram, expected, NatPmpWire.ExternalAddressResponseBytes, out NatPmpResponseHeader header, out uint epoch, out bool shortForm, out failure, out error))
        {
            return false;
        }

        IPAddress? address = shortForm ? null : new IPAddress(datagram.Slice(8, 4));
        response = new NatPmpExternalAddressResponse(header.ResultCode, epoch, address);
        return true;
    }

    /// <summary>Reads a MAP response (opcode 129 or 130) to a request for <paramref name="protocol"/>.</summary>
    /// <param name="datagram">The UDP payload.</param>
    /// <param name="protocol">The protocol of the request this should answer.</param>
    /// <param name="response">The response when the result is true; an error result code is a successful read.
    /// The caller still compares the internal port with its request (docs/quirks.md#Q-NATPMP-PORT-TRUNCATED).</param>
    /// <param name="failure">Why the datagram was rejected, when the result is false.</param>
    /// <param name="error">A message naming the problem, when the result is false.</param>
    /// <returns>True when the datagram is a MAP response for <paramref name="protocol"/>.</returns>
    public static bool TryReadMap(ReadOnlySpan<byte> datagram, NatPmpMapProtocol protocol, out NatPmpMapResponse response, out NatPmpReadFailure failure, [NotNullWhen(false)] out string? error)
    {
        response = default;
        byte expected = (byte)(NatPmpWire.ResponseFlag + (byte)protocol);
        if (!TryReadCommon(datagram, expected, NatPmpWire.MapResponseBytes, out NatPmpResponseHeader header, out uint epoch, out bool shortForm, out failure, out error))
        {
            return false;
        }

        response = shortForm
            ? new NatPmpMapResponse(protocol, header.ResultCode, epoch, 0, 0, 0, true)
            : new NatPmpMapResponse(
                protocol,
                header.ResultCode,
                epoch,
                BinaryPrimitives.ReadUInt16BigEndian(datagram[8..]),
                BinaryPrimitives.ReadUInt16BigEndian(datagram[10..]),
                BinaryPrimitives.ReadUInt32BigEndian(datagram[12..]),
                false);
        return true;
    }

    private static bool TryReadCommon(
        ReadOnlySpan<byte> datagram,
        byte expectedOpcode,
        int fullLength,
        out NatPmpResponseHeader header,
        out uint epoch,
        out bool shortForm,
        out NatPmpReadFailure failure,
        [NotNullWhen(false)] out string? error)
    {
        epoch = 0;
        shortForm = false;
        if (!TryReadHeader(datagram, out header, out error))
        {
            failure = NatPmpReadFailure.Truncated;
            return false;
        }

        if (header.Version != NatPmpWire.Version)
        {
            failure = NatPmpReadFailure.WrongVersion;
            error = $"version {header.Version} is not NAT-PMP (0)";
            return false;
        }

        if (header.Opcode < NatPmpWire.ResponseFlag)
        {
            failure = NatPmpReadFailure.NotAResponse;
            error = $"opcode {header.Opcode} is a request, not a response (no bit 128)";
            return false;
        }

        if (header.Opcode != expectedOpcode)
        {
            failure = NatPmpReadFailure.WrongOpcode;
            error = $"wrong opcode: {header.Opcode}, expected {expectedOpcode}";
            return false;
        }

        bool success = header.ResultCode == NatPmpResultCode.Success;
        int needed = success ? fullLength : NatPmpWire.ShortErrorBytes;
        if (datagram.Length < needed)
        {
            failure = NatPmpReadFailure.Truncated;
            error = string.Create(
                CultureInfo.InvariantCulture,
                $"{datagram.Length}-byte answer with result {header.ResultCode.Describe()} is truncated: {needed} bytes needed");
            return false;
        }

        epoch = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        shortForm = datagram.Length < fullLength;
        failure = NatPmpReadFailure.None;
        error = null;
        return true;
    }
}
