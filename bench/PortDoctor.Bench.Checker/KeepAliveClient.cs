using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PortDoctor.Bench.Checker;

/// <summary>
/// A minimal HTTP/1.1 keep-alive client for the throughput phase, in the manner of wrk: one connection, one
/// prepared request sent again and again, the answer read to its end (Content-Length or chunked). The load
/// generator shares the two cores with the checker, so the leaner it is, the more of the figure is the
/// checker's own cost; HttpClient spends several times more per request.
/// </summary>
internal sealed class KeepAliveClient : IDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] ChunkedEnd = "\r\n0\r\n\r\n"u8.ToArray();

    private readonly IPEndPoint server;
    private readonly byte[] request;
    private readonly byte[] buffer = new byte[16 * 1024];
    private Socket? socket;

    /// <param name="server">The checker's address.</param>
    /// <param name="path">The request path, e.g. <c>/api/v1/check</c>.</param>
    /// <param name="jsonBody">The JSON body to POST.</param>
    public KeepAliveClient(IPEndPoint server, string path, string jsonBody)
    {
        this.server = server;
        byte[] body = Encoding.UTF8.GetBytes(jsonBody);
        request = [.. Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {server}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"), .. body];
    }

    /// <summary>Sends the request and reads the whole answer.</summary>
    /// <returns>The status code and the body as text.</returns>
    public async Task<(int Status, string Body)> SendAsync()
    {
        if (socket is null)
        {
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(server).ConfigureAwait(false);
        }

        await socket.SendAsync(request, SocketFlags.None).ConfigureAwait(false);
        int filled = 0;
        int headerLength = -1;
        long contentLength = -1;
        bool chunked = false;
        while (true)
        {
            int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None).ConfigureAwait(false);
            if (read == 0)
            {
                Dispose();
                throw new IOException("the checker closed the connection mid-answer");
            }

            filled += read;
            if (headerLength < 0)
            {
                int end = buffer.AsSpan(0, filled).IndexOf(HeaderEnd);
                if (end < 0)
                {
                    continue;
                }

                headerLength = end + HeaderEnd.Length;
                string headers = Encoding.ASCII.GetString(buffer, 0, headerLength);
                foreach (string line in headers.Split("\r\n"))
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        contentLength = long.Parse(line.AsSpan("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else if (line.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && line.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                    {
                        chunked = true;
                    }
                }
            }

            bool complete = chunked
                ? buffer.AsSpan(headerLength, filled - headerLength).EndsWith(ChunkedEnd) || (filled - headerLength == 5 && buffer.AsSpan(headerLength, 5).SequenceEqual("0\r\n\r\n"u8))
                : contentLength >= 0 && filled - headerLength >= contentLength;
            if (complete)
            {
                int status = int.Parse(buffer.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
                return (status, Encoding.UTF8.GetString(buffer, headerLength, filled - headerLength));
            }

            if (filled == buffer.Length)
            {
                Dispose();
                throw new IOException("the answer is larger than the bench's 16 KiB buffer");
            }
        }
    }

    public void Dispose()
    {
        socket?.Dispose();
        socket = null;
    }
}
