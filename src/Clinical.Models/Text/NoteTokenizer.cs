using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Clinical.Models.Text;

/// <summary>
/// The product's tokenizer: note text to token ids with, for every token, the exact character span of
/// the note it covers (so evidence shown to clinicians points at the note), and back. Loads what a
/// Hugging Face folder holds: vocab.json + merges.txt (byte-level BPE: RoBERTa, GPT-2), tokenizer.model
/// (SentencePiece BPE: Salamandra, ALIA, mRoBERTa), or only tokenizer.json (either kind). Ids, tokens and spans
/// equal Hugging Face's (fixtures/tokenizers/goldens, made by fixtures/scripts/tokenizer_goldens.mjs); spans are
/// UTF-16 code units and follow its conventions (RoBERTa's trim_offsets, a "▁" covering the space it replaced).
/// Special-token ids come from the folder's files.
/// </summary>
public sealed partial class NoteTokenizer
{
    private readonly BpeTokenizer? _byteLevel;
    private readonly SentencePieceBpe? _sentencePiece;
    private readonly IReadOnlyDictionary<string, int> _matched;
    private readonly IReadOnlyList<int> _before;
    private readonly IReadOnlyList<int> _after;
    private readonly bool _trimOffsets;

    private NoteTokenizer(
        string kind,
        int vocabularySize,
        SpecialTokens special,
        Framing framing,
        BpeTokenizer? byteLevel = null,
        SentencePieceBpe? sentencePiece = null,
        IReadOnlyDictionary<string, int>? matched = null
    )
    {
        Kind = kind;
        VocabularySize = vocabularySize;
        Special = special;
        _byteLevel = byteLevel;
        _sentencePiece = sentencePiece;
        _matched = matched ?? special.All;
        _before = framing.Before;
        _after = framing.After;
        _trimOffsets = framing.TrimOffsets;
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
        if (_sentencePiece is not null)
        {
            var (ids, spans) = _sentencePiece.Encode(text, _matched);
            return new EncodedText(text, ids, spans);
        }
        var tokens = _byteLevel!.EncodeToTokens(
            text,
            out _,
            considerPreTokenization: true,
            considerNormalization: true
        );
        var offsets = ByteLevelOffsets.Align(text, tokens, Special.All, _trimOffsets);
        return new EncodedText(text, tokens.Select(t => t.Id).ToList(), offsets);
    }

    /// <summary>
    /// Encode plus the special tokens the model was trained with (Hugging Face add_special_tokens=True).
    /// </summary>
    public EncodedText EncodeForModel(string text) => AddSpecialTokens(Encode(text));

    /// <summary>
    /// Wraps content tokens (e.g. one window of a note) in the special tokens the tokenizer files ask for (bos/eos,
    /// &lt;s&gt; … &lt;/s&gt;); as in Hugging Face, the added tokens cover the empty span (0, 0).
    /// </summary>
    public EncodedText AddSpecialTokens(EncodedText content)
    {
        var ids = new List<int>(content.Count + 2);
        var offsets = new List<TextSpan>(content.Count + 2);
        ids.AddRange(_before);
        offsets.AddRange(_before.Select(_ => default(TextSpan)));
        ids.AddRange(content.Ids);
        offsets.AddRange(content.Offsets);
        ids.AddRange(_after);
        offsets.AddRange(_after.Select(_ => default(TextSpan)));
        return new EncodedText(content.Text, ids, offsets);
    }

    /// <summary>Whether a sequence starts with bos (add_bos_token; SentencePiece default true).</summary>
    public bool AddsBos => _before.Count > 0 && _before[0] == Special.Bos;

    /// <summary>How many special tokens EncodeForModel adds around the content.</summary>
    public int SpecialTokenCount => _before.Count + _after.Count;

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        if (_sentencePiece is not null)
            return _sentencePiece.Decode(ids, Special.IsSpecial, skipSpecialTokens);
        var kept = skipSpecialTokens ? ids.Where(id => !Special.IsSpecial(id)) : ids;
        return _byteLevel!.Decode(kept, considerSpecialTokens: true);
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
        return CreateByteLevel(directory, vocab, merges, new Dictionary<string, int>(StringComparer.Ordinal), null);
    }

    public static NoteTokenizer LoadTokenizerJson(string directory)
    {
        var path = Path.Combine(directory, "tokenizer.json");
        var parsed = TokenizerJson.Read(path);
        if (parsed.ByteLevel)
            return CreateByteLevel(directory, parsed.Vocab, parsed.Merges, parsed.SpecialTokens, parsed.PostProcessor);

        var pieces = new SentencePieceEntry[parsed.Vocab.Values.Max() + 1];
        foreach (var (piece, id) in parsed.Vocab)
        {
            var type =
                parsed.SpecialTokens.ContainsKey(piece) ? SentencePieceType.Control
                : piece == parsed.UnknownToken ? SentencePieceType.Unknown
                : SentencePieceBpe.IsBytePiece(piece, out _) ? SentencePieceType.Byte
                : SentencePieceType.Normal;
            pieces[id] = new SentencePieceEntry(piece, 0, type);
        }
        for (var id = 0; id < pieces.Length; id++)
            pieces[id] ??= new SentencePieceEntry("", 0, SentencePieceType.Unused);
        var ranks = new Dictionary<(string, string), int>();
        for (var rank = 0; rank < parsed.Merges.Count; rank++)
        {
            var parts = parsed.Merges[rank].Split(' ', 2);
            ranks.TryAdd((parts[0], parts[1]), rank);
        }
        return CreateSentencePiece(
            directory,
            pieces,
            new SentencePieceBpe(pieces, parsed.Prefix, ranks),
            parsed.SpecialTokens,
            parsed.PostProcessor
        );
    }

    public static NoteTokenizer LoadSentencePiece(string directory)
    {
        var path = Path.Combine(directory, "tokenizer.model");
        var model = SentencePieceModelFile.Read(path);
        if (model.RemoveExtraWhitespaces)
            throw new TokenizerFilesException(
                $"{path}: remove_extra_whitespaces is on; collapsing whitespace is not implemented (it would also "
                    + "move every character span of a note)."
            );
        var prefix =
            !model.AddDummyPrefix ? DummyPrefix.None
            : Legacy(directory) ? DummyPrefix.EverySegment
            : DummyPrefix.FirstSegment;
        var control = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < model.Pieces.Count; i++)
            if (model.Pieces[i].Type is SentencePieceType.Control or SentencePieceType.Unknown)
                control.TryAdd(model.Pieces[i].Piece, i);
        return CreateSentencePiece(
            directory,
            model.Pieces,
            new SentencePieceBpe(model.Pieces, prefix),
            control,
            null,
            SentencePieceModelFile.ReadSpecialIds(path)
        );
    }

    private static NoteTokenizer CreateSentencePiece(
        string directory,
        IReadOnlyList<SentencePieceEntry> pieces,
        SentencePieceBpe model,
        IReadOnlyDictionary<string, int> declared,
        TokenizerJson.Framing? post,
        IReadOnlyDictionary<string, int>? modelIds = null
    )
    {
        var pieceIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < pieces.Count; i++)
            pieceIds.TryAdd(pieces[i].Piece, i);
        var special = SpecialTokens.Read(
            directory,
            token => pieceIds.TryGetValue(token, out var id) ? id : null,
            declared,
            modelIds
        );
        var framing = Framing.Resolve(directory, special, post, FolderFamily.SentencePiece);
        var size = Math.Max(pieces.Count, special.All.Values.DefaultIfEmpty(-1).Max() + 1);
        return new NoteTokenizer("SentencePiece BPE", size, special, framing, sentencePiece: model);
    }

    private static NoteTokenizer CreateByteLevel(
        string directory,
        Dictionary<string, int> vocab,
        IReadOnlyList<string> merges,
        IReadOnlyDictionary<string, int> declared,
        TokenizerJson.Framing? post
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
        return new NoteTokenizer(
            "byte-level BPE",
            vocab.Values.Max() + 1,
            special,
            Framing.Resolve(directory, special, post, FolderFamily.ByteLevel),
            byteLevel: BpeTokenizer.Create(options)
        );
    }

    /// <summary>
    /// tokenizer_config.json's "legacy" (absent means true, as in transformers' LlamaTokenizer): whether text after a
    /// special token gets the dummy "▁" prefix again.
    /// </summary>
    private static bool Legacy(string directory) => ConfigFlag(directory, "legacy") ?? true;

    internal static bool? ConfigFlag(string directory, string name)
    {
        var path = Path.Combine(directory, "tokenizer_config.json");
        if (!File.Exists(path))
            return null;
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return
            json.RootElement.TryGetProperty(name, out var value)
            && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;
    }

    /// <summary>
    /// GPT-2/RoBERTa's pre-tokenization pattern (what RobertaPreTokenizer splits on), here also splitting out special
    /// tokens.
    /// </summary>
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex Gpt2PreTokenizer();
}
