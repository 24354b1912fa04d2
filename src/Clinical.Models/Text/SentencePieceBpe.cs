using System.Text;

namespace Clinical.Models.Text;

/// <summary>Where a SentencePiece tokenizer puts its dummy "▁" prefix when the text holds special tokens.</summary>
public enum DummyPrefix
{
    /// <summary>add_dummy_prefix false, or Metaspace prepend_scheme "never".</summary>
    None,

    /// <summary>Only before the text's first segment (Metaspace "first"; tokenizer_config legacy false).</summary>
    FirstSegment,

    /// <summary>
    /// Before every segment between special tokens: sentencepiece's add_dummy_prefix as Hugging Face's legacy Llama
    /// tokenizers apply it (a Prepend normalizer runs on each segment), so "&lt;s&gt; y" gives &lt;s&gt;, ▁, ▁y.
    /// </summary>
    EverySegment,
}

/// <summary>
/// SentencePiece BPE encoding (google/sentencepiece src/bpe_model.cc; the same result as Hugging Face's BPE model
/// over a converted vocabulary): spaces become "▁", a dummy "▁" is prepended, the text is split into characters
/// (user-defined pieces whole), then the adjacent pair whose merge ranks best is merged, the leftmost pair first
/// among equals ("Hmmm" → ▁H, mm, m), until no pair merges; a symbol outside the vocabulary becomes its UTF-8
/// bytes (&lt;0xNN&gt; pieces) or unk. Each token keeps the span of the original characters it came from: a "▁" that
/// replaced a space covers the space, the dummy "▁" covers the segment's first character, and byte pieces cover the
/// whole character they are part of (so a surrogate pair is never split). Special tokens are matched whole first
/// (longest first), as Hugging Face's added-token splitting does.
/// </summary>
internal sealed class SentencePieceBpe
{
    private const char WordBoundary = '\u2581';

    private readonly IReadOnlyList<SentencePieceEntry> _pieces;
    private readonly Dictionary<string, int> _vocabulary = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _userDefined = new(StringComparer.Ordinal);
    private readonly int[] _byteIds = new int[256];
    private readonly Dictionary<(string, string), int>? _mergeRanks;
    private readonly int? _unknown;

    /// <param name="pieces">Every piece by id, with its type.</param>
    /// <param name="mergeRanks">
    /// A tokenizer.json's merges (pair → rank); null means a tokenizer.model, where a merge ranks by the score of the
    /// piece it makes.
    /// </param>
    public SentencePieceBpe(
        IReadOnlyList<SentencePieceEntry> pieces,
        DummyPrefix prefix,
        Dictionary<(string, string), int>? mergeRanks = null
    )
    {
        _pieces = pieces;
        Prefix = prefix;
        _mergeRanks = mergeRanks;
        Array.Fill(_byteIds, -1);
        for (var id = 0; id < pieces.Count; id++)
        {
            var entry = pieces[id];
            switch (entry.Type)
            {
                case SentencePieceType.Normal:
                    _vocabulary.TryAdd(entry.Piece, id);
                    break;
                case SentencePieceType.UserDefined:
                    _vocabulary.TryAdd(entry.Piece, id);
                    _userDefined.TryAdd(entry.Piece, id);
                    break;
                case SentencePieceType.Byte when IsBytePiece(entry.Piece, out var b):
                    _byteIds[b] = id;
                    break;
                case SentencePieceType.Unknown:
                    _unknown ??= id;
                    break;
            }
        }
    }

    public DummyPrefix Prefix { get; }

    public IReadOnlyList<SentencePieceEntry> Pieces => _pieces;

    /// <summary>Token ids and original-text spans; special tokens (by text) are matched whole.</summary>
    public (List<int> Ids, List<TextSpan> Spans) Encode(string text, IReadOnlyDictionary<string, int> special)
    {
        var ids = new List<int>();
        var spans = new List<TextSpan>();
        var ordered = special.Keys.Where(k => k.Length > 0).OrderByDescending(k => k.Length).ToArray();
        var plain = 0;
        var first = true;
        for (var i = 0; i < text.Length; )
        {
            var hit = ordered.FirstOrDefault(s => text.AsSpan(i).StartsWith(s, StringComparison.Ordinal));
            if (hit is null)
            {
                i++;
                continue;
            }
            if (i > plain)
            {
                EncodeSegment(text, plain, i, first, ids, spans);
                first = false;
            }
            ids.Add(special[hit]);
            spans.Add(new TextSpan(i, i + hit.Length));
            i += hit.Length;
            plain = i;
            first = false;
        }
        if (text.Length > plain)
            EncodeSegment(text, plain, text.Length, first, ids, spans);
        return (ids, spans);
    }

    public string Decode(IEnumerable<int> ids, Func<int, bool> isSpecial, bool skipSpecialTokens)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        var segmentStart = true;
        var first = true;
        void Flush()
        {
            if (bytes.Count > 0)
                Append(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }
        void Append(string surface)
        {
            var stripPrefix =
                segmentStart && (Prefix == DummyPrefix.EverySegment || (Prefix == DummyPrefix.FirstSegment && first));
            if (stripPrefix && surface.StartsWith(' '))
                surface = surface[1..];
            text.Append(surface);
            segmentStart = false;
            first = false;
        }
        foreach (var id in ids)
        {
            if (id < 0 || id >= _pieces.Count)
                throw new ArgumentOutOfRangeException(nameof(ids), id, "Not a token id of this tokenizer.");
            var entry = _pieces[id];
            if (isSpecial(id) || entry.Type is SentencePieceType.Control)
            {
                Flush();
                if (!skipSpecialTokens)
                    text.Append(entry.Piece);
                segmentStart = true;
                first = false;
                continue;
            }
            if (entry.Type == SentencePieceType.Byte && IsBytePiece(entry.Piece, out var b))
            {
                bytes.Add(b);
                continue;
            }
            Flush();
            Append(entry.Type == SentencePieceType.Unknown ? " \u2047 " : entry.Piece.Replace(WordBoundary, ' '));
        }
        Flush();
        return text.ToString();
    }

    private void EncodeSegment(string text, int start, int end, bool first, List<int> ids, List<TextSpan> spans)
    {
        var symbols = Split(
            text,
            start,
            end,
            Prefix == DummyPrefix.EverySegment || (Prefix == DummyPrefix.FirstSegment && first)
        );
        Merge(symbols);
        foreach (var symbol in symbols.Where(s => s.Alive))
        {
            var span = new TextSpan(symbol.Start, symbol.End);
            if (_vocabulary.TryGetValue(symbol.Value, out var id))
            {
                ids.Add(id);
                spans.Add(span);
                continue;
            }
            foreach (var b in Encoding.UTF8.GetBytes(symbol.Value))
            {
                if (_byteIds[b] < 0)
                {
                    if (_unknown is null)
                        throw new TokenizerFilesException(
                            $"The SentencePiece vocabulary has neither '{symbol.Value}', byte pieces nor an unknown "
                                + "piece."
                        );
                    if (ids.Count == 0 || ids[^1] != _unknown || spans[^1].End != span.Start)
                    {
                        ids.Add(_unknown.Value);
                        spans.Add(span);
                    }
                    else
                    {
                        spans[^1] = TextSpan.Cover(spans[^1], span);
                    }
                    break;
                }
                ids.Add(_byteIds[b]);
                spans.Add(span);
            }
        }
    }

    /// <summary>Normalised characters (user-defined pieces whole), each with the original span it came from.</summary>
    private List<Symbol> Split(string text, int start, int end, bool prefix)
    {
        var symbols = new List<Symbol>(end - start + 1);
        var firstWidth = char.IsSurrogatePair(text, start) ? 2 : 1;
        if (prefix)
            symbols.Add(new Symbol(WordBoundary.ToString(), start, start + firstWidth));
        var normalized = new StringBuilder(end - start);
        var origin = new List<(int Start, int End)>(end - start);
        for (var i = start; i < end; )
        {
            var width = i + 1 < end && char.IsSurrogatePair(text[i], text[i + 1]) ? 2 : 1;
            if (width == 1 && text[i] == ' ')
                normalized.Append(WordBoundary);
            else
                normalized.Append(text, i, width);
            for (var k = 0; k < width; k++)
                origin.Add((i, i + width));
            i += width;
        }
        var chars = normalized.ToString();
        for (var i = 0; i < chars.Length; )
        {
            var length = UserDefinedAt(chars, i);
            if (length == 0)
                length = char.IsSurrogatePair(chars, i) ? 2 : 1;
            symbols.Add(new Symbol(chars.Substring(i, length), origin[i].Start, origin[i + length - 1].End));
            i += length;
        }
        for (var i = 0; i < symbols.Count; i++)
        {
            symbols[i].Previous = i - 1;
            symbols[i].Next = i + 1 < symbols.Count ? i + 1 : -1;
        }
        return symbols;
    }

    private int UserDefinedAt(string chars, int position)
    {
        var best = 0;
        foreach (var piece in _userDefined.Keys)
            if (piece.Length > best && chars.AsSpan(position).StartsWith(piece, StringComparison.Ordinal))
                best = piece.Length;
        return best;
    }

    private void Merge(List<Symbol> symbols)
    {
        var agenda = new PriorityQueue<(int Left, int Right, string Merged), (double Rank, int Left)>();
        void Consider(int left, int right)
        {
            if (left < 0 || right < 0 || Rank(symbols[left].Value, symbols[right].Value) is not { } rank)
                return;
            agenda.Enqueue((left, right, symbols[left].Value + symbols[right].Value), (rank, left));
        }
        for (var i = 0; i + 1 < symbols.Count; i++)
            Consider(i, i + 1);
        while (agenda.TryDequeue(out var pair, out _))
        {
            var (left, right) = (symbols[pair.Left], symbols[pair.Right]);
            if (!left.Alive || !right.Alive || left.Next != pair.Right || left.Value + right.Value != pair.Merged)
                continue;
            left.Value = pair.Merged;
            left.End = Math.Max(left.End, right.End);
            left.Start = Math.Min(left.Start, right.Start);
            right.Alive = false;
            left.Next = right.Next;
            if (right.Next >= 0)
                symbols[right.Next].Previous = pair.Left;
            Consider(left.Previous, pair.Left);
            Consider(pair.Left, left.Next);
        }
    }

    /// <summary>Lower merges first: a tokenizer.json's merge rank, or minus the merged piece's score.</summary>
    private double? Rank(string left, string right)
    {
        if (_mergeRanks is not null)
            return _mergeRanks.TryGetValue((left, right), out var rank) ? rank : null;
        if (_userDefined.ContainsKey(left) || _userDefined.ContainsKey(right))
            return null;
        return _vocabulary.TryGetValue(left + right, out var id) && _pieces[id].Type == SentencePieceType.Normal
            ? -_pieces[id].Score
            : null;
    }

    internal static bool IsBytePiece(string value, out byte b)
    {
        b = 0;
        return value.Length == 6
            && value.StartsWith("<0x", StringComparison.Ordinal)
            && value[5] == '>'
            && byte.TryParse(
                value.AsSpan(3, 2),
                System.Globalization.NumberStyles.HexNumber,
                System.Globalization.CultureInfo.InvariantCulture,
                out b
            );
    }

    private sealed class Symbol(string value, int start, int end)
    {
        public string Value { get; set; } = value;

        public int Start { get; set; } = start;

        public int End { get; set; } = end;

        public int Previous { get; set; }

        public int Next { get; set; }

        public bool Alive { get; set; } = true;
    }
}
