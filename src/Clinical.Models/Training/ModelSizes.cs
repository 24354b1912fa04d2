using System.Text.Json;
using Clinical.Models.Encoders.Roberta;

namespace Clinical.Models.Training;

/// <summary>
/// Named RoBERTa sizes for training from scratch. `mini` (4 layers × 128 hidden × 4 heads × 512 FFN) is what a
/// shared 2-core machine pretrains in minutes; `small` (4 × 256 × 4 × 1024, 514 positions) is the CPU default;
/// `base` is roberta-base's shape (12 × 768 × 12 × 3072). A path to a
/// JSON file gives any shape: hidden_size, num_hidden_layers, num_attention_heads, intermediate_size and
/// optionally max_position_embeddings, hidden_dropout_prob, attention_probs_dropout_prob.
/// </summary>
public static class ModelSizes
{
    public const string Mini = "mini";
    public const string Small = "small";
    public const string Base = "base";

    public static RobertaConfig Resolve(string size) =>
        size switch
        {
            Mini => Shape(128, 4, 4, 512, 514),
            Small => Shape(256, 4, 4, 1024, 514),
            Base => Shape(768, 12, 12, 3072, 514),
            _ when File.Exists(size) => FromJson(size),
            _ => throw new ArgumentException(
                $"--from-scratch '{size}' is neither mini, small, base nor a JSON config file."
            ),
        };

    /// <summary>A named size or an existing JSON config file.</summary>
    public static bool IsKnown(string? size) => size is Mini or Small or Base || File.Exists(size);

    private static RobertaConfig Shape(int hidden, int layers, int heads, int ffn, int positions) =>
        new()
        {
            HiddenSize = hidden,
            NumHiddenLayers = layers,
            NumAttentionHeads = heads,
            IntermediateSize = ffn,
            MaxPositionEmbeddings = positions,
            TypeVocabSize = 1,
            LayerNormEps = 1e-5,
        };

    private static RobertaConfig FromJson(string path)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            int Int(string name, int? fallback = null) =>
                root.TryGetProperty(name, out var v)
                    ? v.GetInt32()
                    : fallback ?? throw new ArgumentException($"{path}: '{name}' is missing.");
            var config = Shape(
                Int("hidden_size"),
                Int("num_hidden_layers"),
                Int("num_attention_heads"),
                Int("intermediate_size"),
                Int("max_position_embeddings", 514)
            ) with
            {
                HiddenDropoutProb = root.TryGetProperty("hidden_dropout_prob", out var h) ? h.GetDouble() : 0.1,
                AttentionProbsDropoutProb = root.TryGetProperty("attention_probs_dropout_prob", out var a)
                    ? a.GetDouble()
                    : 0.1,
            };
            if (config.HiddenSize % config.NumAttentionHeads != 0)
                throw new ArgumentException(
                    $"{path}: hidden_size {config.HiddenSize} is not a multiple of num_attention_heads "
                        + $"{config.NumAttentionHeads}."
                );
            return config;
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"{path}: not JSON ({ex.Message.Split(" Path:", 2)[0]})");
        }
    }
}
