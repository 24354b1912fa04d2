namespace Clinical.Fhir.Parsing;

/// <summary>
/// Reads an input's bytes with its size checked as it streams: a file larger than the limit is refused from its length
/// before it is read, and a stream (a request body, a file that grows) is refused as soon as it passes the limit, so
/// an oversized input is never held whole. The bytes stay UTF-8: a Bundle read as a .NET string takes twice its size
/// and more while the string is built.
/// </summary>
public static class BoundedInput
{
    public static async Task<ReadOnlyMemory<byte>> ReadFileAsync(
        string path,
        long maxBytes,
        CancellationToken cancellationToken = default
    )
    {
        var length = new FileInfo(path).Length;
        if (length > maxBytes)
            throw TooLarge($"{length:N0} bytes", maxBytes, path);
        await using var file = new FileStream(
            path,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            bufferSize: 1,
            FileOptions.Asynchronous | FileOptions.SequentialScan
        );
        return await ReadAsync(file, maxBytes, path, length, cancellationToken);
    }

    /// <summary>The synchronous form of <see cref="ReadFileAsync"/>, for readers that are iterators.</summary>
    public static ReadOnlyMemory<byte> ReadFile(string path, long maxBytes)
    {
        var length = new FileInfo(path).Length;
        if (length > maxBytes)
            throw TooLarge($"{length:N0} bytes", maxBytes, path);
        using var file = new FileStream(
            path,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            1,
            FileOptions.SequentialScan
        );
        var buffer = Buffer(length, maxBytes);
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = file.Read(chunk)) > 0)
            Append(buffer, chunk, read, maxBytes, path);
        return WithoutByteOrderMark(buffer);
    }

    /// <param name="expectedLength">The declared length (Content-Length, the file's size) when known.</param>
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(
        Stream stream,
        long maxBytes,
        string source,
        long? expectedLength = null,
        CancellationToken cancellationToken = default
    )
    {
        if (expectedLength > maxBytes)
            throw TooLarge($"{expectedLength:N0} bytes", maxBytes, source);
        var buffer = Buffer(expectedLength, maxBytes);
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            Append(buffer, chunk, read, maxBytes, source);
        return WithoutByteOrderMark(buffer);
    }

    private static MemoryStream Buffer(long? expectedLength, long maxBytes) =>
        new((int)Math.Min(expectedLength ?? 64 * 1024, maxBytes) + 1);

    private static void Append(MemoryStream buffer, byte[] chunk, int read, long maxBytes, string source)
    {
        if (buffer.Length + read > maxBytes)
            throw TooLarge(null, maxBytes, source);
        buffer.Write(chunk, 0, read);
    }

    private static ReadOnlyMemory<byte> WithoutByteOrderMark(MemoryStream buffer)
    {
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        return StartsWithByteOrderMark(bytes.Span) ? bytes[3..] : bytes;
    }

    /// <summary>A UTF-8 byte order mark, which parsers may skip (RFC 8259 §8.1) and Utf8JsonReader does not.</summary>
    public static bool StartsWithByteOrderMark(ReadOnlySpan<byte> bytes) => bytes is [0xEF, 0xBB, 0xBF, ..];

    public static FhirInputException TooLarge(string? size, long maxBytes, string source) =>
        new([
            new InputIssue(
                IssueSeverity.Error,
                "too-costly",
                (size is null ? "The input is larger than the limit" : $"The input is {size}; the limit is")
                    + $" {maxBytes:N0} bytes (Clinical:MaxRequestBytes).",
                Source: source
            ),
        ]);
}
