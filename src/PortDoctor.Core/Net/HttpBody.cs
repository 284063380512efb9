namespace PortDoctor.Core.Net;

/// <summary>Reads an HTTP body with a size cap, so that a lying or hostile server cannot make us buffer without end.</summary>
internal static class HttpBody
{
    /// <summary>Reads <paramref name="content"/> up to <paramref name="maxBytes"/>; a declared length over the cap is not read at all.</summary>
    /// <param name="content">The response content.</param>
    /// <param name="maxBytes">The cap in bytes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The bytes, or null when the body is longer than the cap.</returns>
    /// <exception cref="IOException">The connection failed while reading.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static async Task<byte[]?> ReadCappedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > maxBytes)
        {
            return null;
        }

        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            byte[] chunk = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
