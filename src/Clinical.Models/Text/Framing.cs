using System.Text.Json;

namespace Clinical.Models.Text;

internal enum FolderFamily
{
    ByteLevel,
    SentencePiece,
}

/// <summary>
/// The special tokens put around a sequence and whether byte-level spans are trimmed, decided as transformers
/// decides them, first rule that applies:
/// 1. tokenizer_config.json's add_bos_token / add_eos_token (LlamaTokenizerFast and GPT2TokenizerFast rebuild their
///    post-processor from these);
/// 2. tokenizer.json's post_processor (RobertaProcessing, TemplateProcessing, ByteLevel);
/// 3. the model family: RoBERTa-family folders (tokenizer_class Roberta…/XLMRoberta…/Camembert…, or config.json
///    model_type roberta, xlm-roberta, camembert) get &lt;s&gt; … &lt;/s&gt; and trimmed offsets (RobertaProcessing,
///    trim_offsets true); other SentencePiece folders get bos (LlamaTokenizer's add_bos_token default); other
///    byte-level folders nothing (GPT-2: GPT2TokenizerFast adds no special token, and its ByteLevel post-processor
///    keeps spaces in the spans).
/// tokenizer_config.json's trim_offsets, when present, wins for trimming.
/// </summary>
internal sealed record Framing(IReadOnlyList<int> Before, IReadOnlyList<int> After, bool TrimOffsets)
{
    private static readonly string[] RobertaClasses = ["Roberta", "XLMRoberta", "Camembert"];
    private static readonly string[] RobertaModelTypes = ["roberta", "xlm-roberta", "camembert"];

    public static Framing Resolve(
        string directory,
        SpecialTokens special,
        TokenizerJson.Framing? post,
        FolderFamily family
    )
    {
        var roberta = IsRobertaFamily(directory);
        var trim =
            NoteTokenizer.ConfigFlag(directory, "trim_offsets")
            ?? post?.TrimOffsets
            ?? (roberta && family == FolderFamily.ByteLevel);
        trim &= family == FolderFamily.ByteLevel;

        var addBos = NoteTokenizer.ConfigFlag(directory, "add_bos_token");
        var addEos = NoteTokenizer.ConfigFlag(directory, "add_eos_token");
        if (addBos is not null || addEos is not null)
            return new Framing(
                (addBos ?? family == FolderFamily.SentencePiece) ? [Bos(special)] : [],
                addEos == true ? [Eos(special)] : [],
                trim
            );
        if (post is not null)
            return new Framing(Ids(post.Before, special), Ids(post.After, special), trim);
        if (roberta)
            return new Framing([Bos(special)], [Eos(special)], trim);
        return family == FolderFamily.SentencePiece ? new Framing([Bos(special)], [], trim) : new Framing([], [], trim);
    }

    private static int Bos(SpecialTokens special) => SpecialTokens.Require(special.Bos, "beginning-of-sequence");

    private static int Eos(SpecialTokens special) => SpecialTokens.Require(special.Eos, "end-of-sequence");

    private static List<int> Ids(IReadOnlyList<string> tokens, SpecialTokens special) =>
        tokens
            .Select(token =>
                special.All.TryGetValue(token, out var id)
                    ? id
                    : throw new TokenizerFilesException(
                        $"tokenizer.json's post-processor adds '{token}', which is not one of its added tokens."
                    )
            )
            .ToList();

    private static bool IsRobertaFamily(string directory)
    {
        var tokenizerClass = Property(Path.Combine(directory, "tokenizer_config.json"), "tokenizer_class");
        var modelType = Property(Path.Combine(directory, "config.json"), "model_type");
        return (
                tokenizerClass is not null
                && RobertaClasses.Any(c => tokenizerClass.StartsWith(c, StringComparison.Ordinal))
            ) || (modelType is not null && RobertaModelTypes.Contains(modelType, StringComparer.Ordinal));
    }

    private static string? Property(string path, string name)
    {
        if (!File.Exists(path))
            return null;
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
    }
}
