using Clinical.Models.Text;

namespace Clinical.DevTools.Text;

/// <summary>
/// Builds a small SentencePiece BPE model with Salamandra/ALIA's layout: &lt;unk&gt;0 &lt;s&gt;1 &lt;/s&gt;2
/// &lt;pad&gt;3 &lt;|im_start|&gt;4 &lt;|im_end|&gt;5, the 256 byte-fallback pieces &lt;0x00&gt;..&lt;0xFF&gt;,
/// then characters and merged pieces learnt from texts (score = minus merge rank, as spm_train writes).
/// Digits are never merged (split_digits, as Salamandra's tokenizer).
/// </summary>
public static class SentencePieceTrainer
{
    public const char WordBoundary = '\u2581';

    public static readonly IReadOnlyList<string> ChatControlTokens = ["<|im_start|>", "<|im_end|>"];

    public static SentencePieceModel TrainBpe(IEnumerable<string> texts, int merges, int minFrequency = 2)
    {
        var entries = new List<SentencePieceEntry>
        {
            new("<unk>", 0, SentencePieceType.Unknown),
            new("<s>", 0, SentencePieceType.Control),
            new("</s>", 0, SentencePieceType.Control),
            new("<pad>", 0, SentencePieceType.Control),
        };
        entries.AddRange(ChatControlTokens.Select(t => new SentencePieceEntry(t, 0, SentencePieceType.Control)));
        for (var b = 0; b < 256; b++)
            entries.Add(new SentencePieceEntry($"<0x{b:X2}>", 0, SentencePieceType.Byte));

        var wordCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var characters = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (
                var word in (" " + text)
                    .Replace(' ', WordBoundary)
                    .Split(WordBoundary, StringSplitOptions.RemoveEmptyEntries)
            )
            {
                var piece = WordBoundary + word;
                wordCounts[piece] = wordCounts.GetValueOrDefault(piece) + 1;
                foreach (var rune in piece.EnumerateRunes())
                    characters.Add(rune.ToString());
            }
        }
        var words = wordCounts.Select(w => (w.Key.EnumerateRunes().Select(r => r.ToString()).ToList(), w.Value));
        var learnt = BpeMergeLearner.Learn(words, merges, minFrequency, symbol => !symbol.Any(char.IsAsciiDigit));

        var known = new HashSet<string>(entries.Select(e => e.Piece), StringComparer.Ordinal);
        var rank = 0;
        foreach (var (left, right) in learnt)
        {
            if (known.Add(left + right))
                entries.Add(new SentencePieceEntry(left + right, -rank++, SentencePieceType.Normal));
        }
        foreach (var character in characters)
        {
            if (known.Add(character))
                entries.Add(new SentencePieceEntry(character, -rank++, SentencePieceType.Normal));
        }
        return new SentencePieceModel(entries);
    }
}
