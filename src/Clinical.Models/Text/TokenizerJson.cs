using System.Text.Json;

namespace Clinical.Models.Text;

/// <summary>
/// Reads the BPE parts of a Hugging Face tokenizer.json (Microsoft.ML.Tokenizers 2.0 has no general loader): either
/// byte-level BPE (GPT-2, RoBERTa: a ByteLevel pre-tokenizer or decoder) or SentencePiece-style BPE (Llama,
/// Salamandra: "▁" for spaces through a Replace normalizer or a Metaspace pre-tokenizer, byte_fallback): model.vocab,
/// model.merges ("a b" strings or ["a", "b"] pairs), added_tokens, and how the post-processor frames a sequence.
/// </summary>
internal static class TokenizerJson
{
    /// <summary>Special tokens (by content) the post-processor puts before and after a single sequence.</summary>
    public sealed record Framing(IReadOnlyList<string> Before, IReadOnlyList<string> After, bool? TrimOffsets);

    public sealed record Parsed(
        Dictionary<string, int> Vocab,
        List<string> Merges,
        Dictionary<string, int> SpecialTokens,
        bool ByteLevel,
        DummyPrefix Prefix,
        string? UnknownToken,
        Framing? PostProcessor
    );

    public static Parsed Read(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        var model = root.GetProperty("model");
        var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "BPE")
            throw new TokenizerFilesException(
                $"{path}: model type '{type}' is not supported; only BPE tokenizer.json files are "
                    + "(byte-level or SentencePiece-style)."
            );
        var byteLevel = Mentions(root, "pre_tokenizer", "ByteLevel") || Mentions(root, "decoder", "ByteLevel");
        var sentencePiece = SentencePiecePrefix(root);
        if (!byteLevel && sentencePiece is null)
            throw new TokenizerFilesException(
                $"{path}: a BPE that is neither byte-level (a ByteLevel pre-tokenizer or decoder) nor "
                    + "SentencePiece-style (a Metaspace pre-tokenizer or a Replace of ' ' by '▁') is not supported."
            );

        var vocab = model
            .GetProperty("vocab")
            .EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
        var merges = model
            .GetProperty("merges")
            .EnumerateArray()
            .Select(m =>
                m.ValueKind switch
                {
                    JsonValueKind.String => m.GetString()!,
                    JsonValueKind.Array => string.Join(' ', m.EnumerateArray().Select(part => part.GetString())),
                    _ => throw new TokenizerFilesException($"{path}: a merge is neither a string nor a pair: {m}"),
                }
            )
            .ToList();
        var special = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                var content = token.GetProperty("content").GetString()!;
                var id = token.GetProperty("id").GetInt32();
                vocab.TryAdd(content, id);
                if (!token.TryGetProperty("special", out var isSpecial) || isSpecial.GetBoolean())
                    special[content] = id;
            }
        }
        var unknown =
            model.TryGetProperty("unk_token", out var unk) && unk.ValueKind == JsonValueKind.String
                ? unk.GetString()
                : null;
        return new Parsed(
            vocab,
            merges,
            special,
            byteLevel,
            sentencePiece ?? DummyPrefix.None,
            unknown,
            root.TryGetProperty("post_processor", out var post) ? ReadFraming(post) : null
        );
    }

    /// <summary>
    /// The dummy-prefix rule of a SentencePiece-style tokenizer.json, or null when it is not one: a Prepend("▁")
    /// normalizer runs on every segment between added tokens; Metaspace follows its prepend_scheme.
    /// </summary>
    private static DummyPrefix? SentencePiecePrefix(JsonElement root)
    {
        var normalizers = Steps(root, "normalizer");
        if (normalizers.Any(n => Type(n) == "Replace" && ReplacesSpace(n)))
            return normalizers.Any(n => Type(n) == "Prepend") ? DummyPrefix.EverySegment : DummyPrefix.None;
        var metaspace = Steps(root, "pre_tokenizer").FirstOrDefault(p => Type(p) == "Metaspace");
        if (metaspace.ValueKind != JsonValueKind.Object)
            return null;
        var scheme = metaspace.TryGetProperty("prepend_scheme", out var s) ? s.GetString() : null;
        var addPrefix = !metaspace.TryGetProperty("add_prefix_space", out var a) || a.GetBoolean();
        return scheme switch
        {
            "never" => DummyPrefix.None,
            "first" => DummyPrefix.FirstSegment,
            "always" => DummyPrefix.EverySegment,
            _ => addPrefix ? DummyPrefix.EverySegment : DummyPrefix.None,
        };
    }

    private static bool ReplacesSpace(JsonElement replace) =>
        replace.TryGetProperty("pattern", out var pattern)
        && pattern.TryGetProperty("String", out var text)
        && text.GetString() == " "
        && replace.TryGetProperty("content", out var content)
        && content.GetString() == "\u2581";

    private static Framing? ReadFraming(JsonElement post)
    {
        if (post.ValueKind != JsonValueKind.Object)
            return null;
        bool? Trim(JsonElement e) =>
            e.TryGetProperty("trim_offsets", out var trim)
            && trim.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? trim.GetBoolean()
                : null;
        switch (Type(post))
        {
            case "RobertaProcessing":
            case "BertProcessing":
                return new Framing(
                    [post.GetProperty("cls")[0].GetString()!],
                    [post.GetProperty("sep")[0].GetString()!],
                    Type(post) == "RobertaProcessing" ? Trim(post) ?? true : false
                );
            case "ByteLevel":
                return new Framing([], [], Trim(post) ?? true);
            case "TemplateProcessing":
                var single = post.GetProperty("single").EnumerateArray().ToList();
                var sequence = single.FindIndex(p => p.TryGetProperty("Sequence", out _));
                string Token(JsonElement p) => p.GetProperty("SpecialToken").GetProperty("id").GetString()!;
                return new Framing(
                    single.Take(sequence).Select(Token).ToList(),
                    single.Skip(sequence + 1).Select(Token).ToList(),
                    null
                );
            case "Sequence":
                var steps = post.GetProperty("processors").EnumerateArray().Select(ReadFraming).OfType<Framing>();
                return steps.Aggregate(
                    new Framing([], [], null),
                    (all, f) =>
                        new Framing(
                            [.. all.Before, .. f.Before],
                            [.. all.After, .. f.After],
                            f.TrimOffsets ?? all.TrimOffsets
                        )
                );
            default:
                return null;
        }
    }

    private static List<JsonElement> Steps(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var step) || step.ValueKind != JsonValueKind.Object)
            return [];
        var inner = name == "normalizer" ? "normalizers" : "pretokenizers";
        return Type(step) == "Sequence" && step.TryGetProperty(inner, out var list)
            ? [.. list.EnumerateArray()]
            : [step];
    }

    private static string? Type(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out var t) ? t.GetString() : null;

    private static bool Mentions(JsonElement root, string name, string type) =>
        root.TryGetProperty(name, out var e) && MentionsType(e, type);

    private static bool MentionsType(JsonElement e, string type) =>
        e.ValueKind switch
        {
            JsonValueKind.Object => e.EnumerateObject()
                .Any(p => p.Name == "type" && p.Value.GetString() == type || MentionsType(p.Value, type)),
            JsonValueKind.Array => e.EnumerateArray().Any(x => MentionsType(x, type)),
            _ => false,
        };
}
