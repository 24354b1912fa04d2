using System.Text.Json;

namespace Clinical.Models.Text;

/// <summary>
/// Reads the byte-level BPE parts of a Hugging Face tokenizer.json (Microsoft.ML.Tokenizers 2.0 has no
/// general loader): model.vocab, model.merges (either "a b" strings or ["a", "b"] pairs) and added_tokens.
/// </summary>
internal static class TokenizerJson
{
    public sealed record Parsed(
        Dictionary<string, int> Vocab,
        List<string> Merges,
        Dictionary<string, int> SpecialTokens
    );

    public static Parsed Read(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        var model = root.GetProperty("model");
        var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "BPE")
            throw new TokenizerFilesException(
                $"{path}: model type '{type}' is not supported; "
                    + "only byte-level BPE tokenizer.json files are (use tokenizer.model for SentencePiece)."
            );
        if (!UsesByteLevel(root))
            throw new TokenizerFilesException(
                $"{path}: a BPE without a ByteLevel pre-tokenizer or decoder is not supported; "
                    + "use the folder's tokenizer.model."
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
        return new Parsed(vocab, merges, special);
    }

    private static bool UsesByteLevel(JsonElement root)
    {
        static bool Mentions(JsonElement e) =>
            e.ValueKind switch
            {
                JsonValueKind.Object => e.EnumerateObject()
                    .Any(p => p.Name == "type" && p.Value.GetString() == "ByteLevel" || Mentions(p.Value)),
                JsonValueKind.Array => e.EnumerateArray().Any(Mentions),
                _ => false,
            };
        return (root.TryGetProperty("pre_tokenizer", out var pre) && Mentions(pre))
            || (root.TryGetProperty("decoder", out var decoder) && Mentions(decoder));
    }
}
