using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clinical.Models.Tests.Text;

/// <summary>Builds a Hugging Face tokenizer.json (byte-level BPE) from a folder's vocab.json and merges.txt.</summary>
internal static class TokenizerJsonFixture
{
    private static readonly string[] RobertaSpecials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"];

    public static string FromVocabAndMerges(string directory, bool pairMerges)
    {
        var vocab = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "vocab.json")))!.AsObject();
        var merges = new JsonArray(
            File.ReadLines(Path.Combine(directory, "merges.txt"))
                .Where(l => l.Length > 0 && !l.StartsWith('#'))
                .Select(l =>
                    pairMerges
                        ? (JsonNode)new JsonArray(l.Split(' ').Select(p => (JsonNode)JsonValue.Create(p)!).ToArray())
                        : JsonValue.Create(l)!
                )
                .ToArray()
        );
        var added = new JsonArray(
            RobertaSpecials
                .Select(t =>
                    (JsonNode)
                        new JsonObject
                        {
                            ["id"] = vocab[t]!.GetValue<int>(),
                            ["content"] = t,
                            ["special"] = true,
                        }
                )
                .ToArray()
        );
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["vocab"] = vocab.DeepClone(),
                ["merges"] = merges,
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
