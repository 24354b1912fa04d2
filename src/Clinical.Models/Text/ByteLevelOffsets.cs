using System.Text;
using Microsoft.ML.Tokenizers;

namespace Clinical.Models.Text;

/// <summary>
/// Character spans of byte-level BPE tokens, from the tokens themselves: each token's characters stand for UTF-8
/// bytes of the text (GPT-2's byte alphabet), so consecutive tokens tile the text's bytes, and a token covers the
/// characters its bytes belong to; a token holding part of a character (an emoji split over two tokens) covers the
/// whole character, so a span never splits a surrogate pair. Special tokens cover their own text. Spans are UTF-16
/// code units, the indices of the note string. Hugging Face's conventions (tokenizers/src/pre_tokenizers/
/// byte_level.rs): RoBERTa's post-processor trims spaces off both ends of a token's span (trim_offsets=true), so
/// "Ġdisnea" covers "disnea" and a token of spaces alone an empty span at its end; GPT-2's keeps them.
/// </summary>
internal static class ByteLevelOffsets
{
    private const char SpaceByte = '\u0120';

    public static List<TextSpan> Align(
        string text,
        IReadOnlyList<EncodedToken> tokens,
        IReadOnlyDictionary<string, int> special,
        bool trimOffsets
    )
    {
        var owners = ByteOwners(text);
        var spans = new List<TextSpan>(tokens.Count);
        var cursor = 0;
        foreach (var token in tokens)
        {
            if (special.TryGetValue(token.Value, out var id) && id == token.Id)
            {
                var start = cursor < owners.Count ? owners[cursor].Start : text.Length;
                spans.Add(new TextSpan(start, start + token.Value.Length));
                cursor += Encoding.UTF8.GetByteCount(token.Value);
                continue;
            }
            var count = token.Value.Length;
            if (count == 0 || cursor + count > owners.Count)
                throw new InvalidOperationException(
                    $"Byte-level token '{token.Value}' does not fit the text's remaining {owners.Count - cursor} bytes."
                );
            var span = new TextSpan(owners[cursor].Start, owners[cursor + count - 1].End);
            spans.Add(trimOffsets ? Trim(token.Value, span) : span);
            cursor += count;
        }
        return spans;
    }

    /// <summary>process_offsets of tokenizers' byte_level.rs, add_prefix_space false.</summary>
    private static TextSpan Trim(string token, TextSpan span)
    {
        static bool IsSpace(char c) => c == SpaceByte || char.IsWhiteSpace(c);
        var leading = 0;
        while (leading < token.Length && IsSpace(token[leading]))
            leading++;
        var trailing = 0;
        while (trailing < token.Length && IsSpace(token[^(trailing + 1)]))
            trailing++;
        var (start, end) = (span.Start, span.End);
        if (leading > 0)
            start = Math.Min(start + leading, end);
        if (trailing > 0 && end >= trailing)
            end = Math.Max(end - trailing, start);
        return new TextSpan(start, end);
    }

    /// <summary>For every UTF-8 byte of the text, the UTF-16 span of the character it encodes.</summary>
    private static List<TextSpan> ByteOwners(string text)
    {
        var owners = new List<TextSpan>(text.Length);
        Span<byte> buffer = stackalloc byte[4];
        for (var i = 0; i < text.Length; )
        {
            var width = char.IsSurrogatePair(text, i) ? 2 : 1;
            var bytes = Encoding.UTF8.GetBytes(text.AsSpan(i, width), buffer);
            for (var b = 0; b < bytes; b++)
                owners.Add(new TextSpan(i, i + width));
            i += width;
        }
        return owners;
    }
}
