using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Clinical.Models.Text;

/// <summary>
/// Character spans for SentencePiece tokens, found by walking the original note with each token's
/// surface text ('▁' is a space; &lt;0xNN&gt; byte pieces join into the character they encode; special
/// tokens are their own text). The library's own offsets refer to its normalised text and restart
/// after each special token, so they cannot be shown to a clinician as they are. A piece whose
/// surface is not at the cursor (a normaliser that rewrote characters) gets an empty span there.
/// </summary>
internal static class SentencePieceOffsets
{
    private const char WordBoundary = '\u2581';

    public static List<TextSpan> Align(string text, IReadOnlyList<EncodedToken> tokens, SpecialTokens special)
    {
        var spans = new List<TextSpan>(tokens.Count);
        var cursor = 0;
        var pendingBytes = new List<byte>();
        var pendingTokens = 0;
        foreach (var token in tokens)
        {
            if (IsBytePiece(token.Value, out var b))
            {
                pendingBytes.Add(b);
                pendingTokens++;
                if (pendingBytes.Count < Utf8Length(pendingBytes[0]))
                    continue;
                var surface = Encoding.UTF8.GetString(pendingBytes.ToArray());
                var span = Match(text, ref cursor, surface);
                for (var i = 0; i < pendingTokens; i++)
                    spans.Add(span);
                pendingBytes.Clear();
                pendingTokens = 0;
                continue;
            }
            FlushIncomplete(spans, ref pendingTokens, pendingBytes, cursor);
            var piece =
                special.All.TryGetValue(token.Value, out var id) && id == token.Id
                    ? token.Value
                    : token.Value.Replace(WordBoundary, ' ');
            spans.Add(Match(text, ref cursor, piece));
        }
        FlushIncomplete(spans, ref pendingTokens, pendingBytes, cursor);
        return spans;
    }

    private static TextSpan Match(string text, ref int cursor, string surface)
    {
        var rest = text.AsSpan(cursor);
        if (rest.StartsWith(surface, StringComparison.Ordinal))
        {
            var span = new TextSpan(cursor, cursor + surface.Length);
            cursor = span.End;
            return span;
        }
        if (surface.StartsWith(' ') && rest.StartsWith(surface.AsSpan(1), StringComparison.Ordinal))
        {
            var span = new TextSpan(cursor, cursor + surface.Length - 1);
            cursor = span.End;
            return span;
        }
        return new TextSpan(cursor, cursor);
    }

    private static void FlushIncomplete(
        List<TextSpan> spans,
        ref int pendingTokens,
        List<byte> pendingBytes,
        int cursor
    )
    {
        for (var i = 0; i < pendingTokens; i++)
            spans.Add(new TextSpan(cursor, cursor));
        pendingTokens = 0;
        pendingBytes.Clear();
    }

    private static bool IsBytePiece(string value, out byte b)
    {
        b = 0;
        return value.Length == 6
            && value.StartsWith("<0x", StringComparison.Ordinal)
            && value[5] == '>'
            && byte.TryParse(value.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out b);
    }

    private static int Utf8Length(byte first) =>
        first switch
        {
            < 0x80 => 1,
            >= 0xF0 => 4,
            >= 0xE0 => 3,
            >= 0xC0 => 2,
            _ => 1,
        };
}
