using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Clinical.Models.Text;

/// <summary>
/// The product's tokenizer: note text to token ids with, for every token, the exact character span of
/// the note it covers (so evidence shown to clinicians points at the note), and back. Loads what a
/// Hugging Face folder holds: vocab.json + merges.txt (RoBERTa byte-level BPE), tokenizer.model
/// (SentencePiece, e.g. Salamandra/ALIA), or only tokenizer.json (byte-level BPE). Special-token ids
/// come from the folder's files.
/// </summary>
public sealed partial class NoteTokenizer
{
    private readonly Tokenizer _tokenizer;
    private readonly bool _addBos;
    private readonly bool _addEos;

    private NoteTokenizer(
        Tokenizer tokenizer,
        string kind,
        int vocabularySize,
        SpecialTokens special,
        bool addBos,
        bool addEos
    )
    {
        _tokenizer = tokenizer;
        Kind = kind;
        VocabularySize = vocabularySize;
        Special = special;
        _addBos = addBos;
        _addEos = addEos;
    }

    public string Kind { get; }

    public int VocabularySize { get; }

    public SpecialTokens Special { get; }

    public static NoteTokenizer Load(string directory)
    {
        if (File.Exists(Path.Combine(directory, "vocab.json")) && File.Exists(Path.Combine(directory, "merges.txt")))
            return LoadByteLevelBpe(directory);
        if (File.Exists(Path.Combine(directory, "tokenizer.model")))
            return LoadSentencePiece(directory);
        if (File.Exists(Path.Combine(directory, "tokenizer.json")))
            return LoadTokenizerJson(directory);
        throw new TokenizerFilesException(
            $"'{directory}' has no vocab.json + merges.txt, tokenizer.model or tokenizer.json."
        );
    }

    /// <summary>
    /// Content tokens only, no &lt;s&gt; or &lt;/s&gt;. Special-token strings in the text are matched as special
    /// tokens, as Hugging Face does.
    /// </summary>
    public EncodedText Encode(string text)
    {
        var tokens = _tokenizer.EncodeToTokens(text, out _, considerPreTokenization: true, considerNormalization: true);
        var offsets =
            _tokenizer is SentencePieceTokenizer
                ? SentencePieceOffsets.Align(text, tokens, Special)
                : tokens.Select(t => Span(t.Offset, text.Length)).ToList();
        return new EncodedText(text, tokens.Select(t => t.Id).ToList(), offsets);
    }

    /// <summary>
    /// Encode plus the special tokens the model was trained with (Hugging Face add_special_tokens=True).
    /// </summary>
    public EncodedText EncodeForModel(string text) => AddSpecialTokens(Encode(text));

    /// <summary>
    /// Wraps content tokens (e.g. one window of a note) in bos/eos as the tokenizer files say; the added tokens cover
    /// an empty span.
    /// </summary>
    public EncodedText AddSpecialTokens(EncodedText content)
    {
        var ids = new List<int>(content.Count + 2);
        var offsets = new List<TextSpan>(content.Count + 2);
        var start = content.Offsets.Count > 0 ? content.Offsets[0].Start : 0;
        var end = content.Offsets.Count > 0 ? content.Offsets[^1].End : 0;
        if (_addBos)
        {
            ids.Add(SpecialTokens.Require(Special.Bos, "beginning-of-sequence"));
            offsets.Add(new TextSpan(start, start));
        }
        ids.AddRange(content.Ids);
        offsets.AddRange(content.Offsets);
        if (_addEos)
        {
            ids.Add(SpecialTokens.Require(Special.Eos, "end-of-sequence"));
            offsets.Add(new TextSpan(end, end));
        }
        return new EncodedText(content.Text, ids, offsets);
    }

    /// <summary>
    /// Whether the tokenizer files ask for bos at the start of a sequence (add_bos_token; SentencePiece default true).
    /// </summary>
    public bool AddsBos => _addBos;

    /// <summary>How many special tokens EncodeForModel adds around the content.</summary>
    public int SpecialTokenCount => (_addBos ? 1 : 0) + (_addEos ? 1 : 0);

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        var kept = skipSpecialTokens ? ids.Where(id => !Special.IsSpecial(id)) : ids;
        return _tokenizer switch
        {
            SentencePieceTokenizer sentencePiece => sentencePiece.Decode(kept, considerSpecialTokens: true),
            BpeTokenizer bpe => bpe.Decode(kept, considerSpecialTokens: true),
            _ => _tokenizer.Decode(kept),
        };
    }

    public static NoteTokenizer LoadByteLevelBpe(string directory)
    {
        using var vocabJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "vocab.json")));
        var vocab = vocabJson
            .RootElement.EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
        var merges = File.ReadLines(Path.Combine(directory, "merges.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith("#version", StringComparison.Ordinal))
            .ToList();
        return CreateByteLevel(directory, vocab, merges, new Dictionary<string, int>(StringComparer.Ordinal));
    }

    public static NoteTokenizer LoadTokenizerJson(string directory)
    {
        var path = Path.Combine(directory, "tokenizer.json");
        var parsed = TokenizerJson.Read(path);
        return CreateByteLevel(directory, parsed.Vocab, parsed.Merges, parsed.SpecialTokens);
    }

    public static NoteTokenizer LoadSentencePiece(string directory)
    {
        var path = Path.Combine(directory, "tokenizer.model");
        var pieces = SentencePieceModelFile.ReadPieces(path);
        var pieceIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < pieces.Count; i++)
            pieceIds.TryAdd(pieces[i].Piece, i);
        var control = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < pieces.Count; i++)
            if (pieces[i].Type == SentencePieceType.Control)
                control.TryAdd(pieces[i].Piece, i);

        var special = SpecialTokens.Read(
            directory,
            token => pieceIds.TryGetValue(token, out var id) ? id : null,
            control,
            SentencePieceModelFile.ReadSpecialIds(path)
        );
        // User-defined pieces (e.g. "\r") are matched whole in the text, as sentencepiece does, but are text, not
        // special tokens.
        var matched = new Dictionary<string, int>(special.All, StringComparer.Ordinal);
        for (var i = 0; i < pieces.Count; i++)
            if (pieces[i].Type == SentencePieceType.UserDefined)
                matched.TryAdd(pieces[i].Piece, i);
        using var stream = File.OpenRead(path);
        var tokenizer = SentencePieceTokenizer.Create(stream, false, false, matched);
        var (addBos, addEos) = AddFlags(directory, defaultBos: true, defaultEos: false);
        return new NoteTokenizer(tokenizer, "SentencePiece BPE", pieces.Count, special, addBos, addEos);
    }

    private static NoteTokenizer CreateByteLevel(
        string directory,
        Dictionary<string, int> vocab,
        IReadOnlyList<string> merges,
        IReadOnlyDictionary<string, int> declared
    )
    {
        foreach (var (token, id) in declared)
            vocab.TryAdd(token, id);
        var special = SpecialTokens.Read(
            directory,
            token => vocab.TryGetValue(token, out var id) ? id : null,
            declared
        );
        foreach (var (token, id) in special.All)
            vocab.TryAdd(token, id);
        var options = new BpeOptions(vocab)
        {
            Merges = merges,
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(Gpt2PreTokenizer(), special.All),
            SpecialTokens = special.All,
            UnknownToken = special.Unk is { } unk ? vocab.First(kv => kv.Value == unk).Key : null,
        };
        var (addBos, addEos) = AddFlags(directory, defaultBos: true, defaultEos: true);
        return new NoteTokenizer(
            BpeTokenizer.Create(options),
            "byte-level BPE",
            vocab.Values.Max() + 1,
            special,
            addBos,
            addEos
        );
    }

    private static (bool Bos, bool Eos) AddFlags(string directory, bool defaultBos, bool defaultEos)
    {
        var path = Path.Combine(directory, "tokenizer_config.json");
        if (!File.Exists(path))
            return (defaultBos, defaultEos);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        bool Flag(string name, bool fallback) =>
            json.RootElement.TryGetProperty(name, out var value)
            && value.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? value.GetBoolean()
                : fallback;
        return (Flag("add_bos_token", defaultBos), Flag("add_eos_token", defaultEos));
    }

    private static TextSpan Span(Range range, int length)
    {
        var (offset, count) = range.GetOffsetAndLength(length);
        return new TextSpan(offset, offset + count);
    }

    /// <summary>
    /// GPT-2/RoBERTa's pre-tokenization pattern (what RobertaPreTokenizer splits on), here also splitting out special
    /// tokens.
    /// </summary>
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex Gpt2PreTokenizer();
}
