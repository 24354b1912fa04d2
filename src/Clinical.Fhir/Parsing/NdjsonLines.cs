using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Clinical.Fhir.Parsing;

/// <summary>One non-blank line of an NDJSON file, decoded, with its 1-based line number.</summary>
public readonly record struct NdjsonLine(int Number, string Text);

/// <summary>
/// Reads an NDJSON file line by line with each line decoded strictly as UTF-8. Bulk Data files are UTF-8 NDJSON
/// (FHIR Bulk Data Access, "Response - Complete Status"; JSON text is UTF-8, RFC 8259 §8.1), one resource per line
/// ended by LF (a CR before it is dropped). A line with bytes that are not UTF-8 (a stray latin-1 byte, an overlong
/// form, an encoded surrogate, a sequence cut short at the end of the file) is reported as an error issue, located
/// by file, line and byte, and skipped: StreamReader would replace those bytes with U+FFFD and silently change a name
/// or a note. The other lines are read as usual. A byte order mark at the start of the file is skipped (RFC 8259 §8.1
/// lets a parser ignore it); blank lines are skipped.
/// </summary>
public static class NdjsonLines
{
    private const int ChunkBytes = 64 * 1024;

    public static IEnumerable<NdjsonLine> Read(string path, ICollection<InputIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        using var file = new FileStream(
            path,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            1,
            FileOptions.SequentialScan
        );
        var chunk = new byte[ChunkBytes];
        using var pending = new MemoryStream();
        var lines = new List<NdjsonLine>();
        var number = 0;
        int read;
        while ((read = file.Read(chunk)) > 0)
        {
            Split(chunk.AsSpan(0, read), pending, ref number, lines, issues, path);
            foreach (var line in lines)
                yield return line;
            lines.Clear();
        }
        if (pending.Length > 0)
        {
            number++;
            if (Decode(pending.GetBuffer().AsSpan(0, (int)pending.Length), number, issues, path) is { } last)
                yield return new NdjsonLine(number, last);
        }
    }

    /// <summary>
    /// The complete lines of <paramref name="bytes"/> (the first one continuing <paramref name="pending"/>), decoded
    /// into <paramref name="lines"/>; what follows the last LF is left in <paramref name="pending"/>.
    /// </summary>
    private static void Split(
        ReadOnlySpan<byte> bytes,
        MemoryStream pending,
        ref int number,
        List<NdjsonLine> lines,
        ICollection<InputIssue> issues,
        string path
    )
    {
        int end;
        while ((end = bytes.IndexOf((byte)'\n')) >= 0)
        {
            number++;
            string? text;
            if (pending.Length == 0)
                text = Decode(bytes[..end], number, issues, path);
            else
            {
                pending.Write(bytes[..end]);
                text = Decode(pending.GetBuffer().AsSpan(0, (int)pending.Length), number, issues, path);
                pending.SetLength(0);
            }
            if (text is not null)
                lines.Add(new NdjsonLine(number, text));
            bytes = bytes[(end + 1)..];
        }
        pending.Write(bytes);
    }

    /// <summary>The line's text; null for a blank line or one that is not UTF-8 (reported).</summary>
    private static string? Decode(ReadOnlySpan<byte> line, int number, ICollection<InputIssue> issues, string path)
    {
        if (number == 1 && BoundedInput.StartsWithByteOrderMark(line))
            line = line[3..];
        if (line is [.., (byte)'\r'])
            line = line[..^1];
        if (Utf8.IsValid(line))
        {
            var text = Encoding.UTF8.GetString(line);
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }
        issues.Add(NotUtf8(path, number, FirstInvalidByte(line)));
        return null;
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> line)
    {
        var chars = ArrayPool<char>.Shared.Rent(line.Length);
        try
        {
            Utf8.ToUtf16(line, chars, out var valid, out _, replaceInvalidSequences: false);
            return valid;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static InputIssue NotUtf8(string path, int number, int offset) =>
        new(
            IssueSeverity.Error,
            "structure",
            $"The line is not valid UTF-8 (an invalid or truncated byte sequence at byte {offset + 1}); it was "
                + "skipped, not read with replacement characters. Bulk Data NDJSON is UTF-8 (RFC 8259 §8.1): "
                + "re-encode the file.",
            $"{Path.GetFileName(path)} line {number}",
            number,
            offset + 1,
            path
        );
}
