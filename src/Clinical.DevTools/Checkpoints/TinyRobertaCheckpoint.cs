using System.Text.Json;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.DevTools.Checkpoints;

/// <summary>Shape and storage of a random tiny RoBERTa classifier folder.</summary>
public sealed record TinyRobertaOptions
{
    public int Layers { get; init; } = 2;
    public int Hidden { get; init; } = 32;
    public int Heads { get; init; } = 4;
    public int Intermediate { get; init; } = 64;
    public int MaxPositionEmbeddings { get; init; } = 514;
    public int VocabularySize { get; init; } = 400;
    public IReadOnlyList<string> Labels { get; init; } = ["no_heart_failure", "heart_failure"];
    public long Seed { get; init; } = 1234;

    /// <summary>
    /// Standard deviation of the random weights; larger than transformers' 0.02 so different inputs give clearly
    /// different logits.
    /// </summary>
    public double InitStd { get; init; } = 0.2;
    public int Shards { get; init; } = 1;
    public ScalarType DType { get; init; } = ScalarType.Float32;
}

/// <summary>
/// Writes a random-weight RoBERTa classifier in Hugging Face's folder format: config.json,
/// model.safetensors (or shards with model.safetensors.index.json), and a byte-level BPE tokenizer
/// (vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json) trained on the given texts.
/// </summary>
public static class TinyRobertaCheckpoint
{
    public static RobertaConfig Write(
        string directory,
        IEnumerable<string> tokenizerTexts,
        TinyRobertaOptions? options = null
    )
    {
        options ??= new TinyRobertaOptions();
        Directory.CreateDirectory(directory);
        var vocabulary = ByteLevelBpeTrainer.Train(tokenizerTexts, options.VocabularySize);
        ByteLevelBpeTrainer.Save(vocabulary, directory, options.MaxPositionEmbeddings - 2);
        var config = new RobertaConfig
        {
            VocabSize = vocabulary.Vocab.Values.Max() + 1,
            HiddenSize = options.Hidden,
            NumHiddenLayers = options.Layers,
            NumAttentionHeads = options.Heads,
            IntermediateSize = options.Intermediate,
            MaxPositionEmbeddings = options.MaxPositionEmbeddings,
            TypeVocabSize = 1,
            LayerNormEps = 1e-5,
            PadTokenId = vocabulary.Vocab[ByteLevelBpeTrainer.Pad],
            BosTokenId = vocabulary.Vocab[ByteLevelBpeTrainer.Bos],
            EosTokenId = vocabulary.Vocab[ByteLevelBpeTrainer.Eos],
            Id2Label = options.Labels.Select((label, i) => (label, i)).ToDictionary(x => x.i, x => x.label),
        };
        WriteModel(directory, config, options);
        return config;
    }

    /// <summary>
    /// config.json and random weights for <paramref name="config"/>, beside tokenizer files already there.
    /// </summary>
    public static void WriteModel(string directory, RobertaConfig config, TinyRobertaOptions options)
    {
        File.WriteAllText(
            Path.Combine(directory, "config.json"),
            config.ToJson(options.DType == ScalarType.BFloat16 ? "bfloat16" : "float32")
        );

        using var model = Random(config, options);
        if (options.Shards <= 1)
            CheckpointFolder.Save(model, directory, options.DType);
        else
            WriteShards(model, directory, options);
    }

    /// <summary>
    /// A random model with transformers-style initialisation at this folder's (larger) standard deviation.
    /// </summary>
    public static RobertaForSequenceClassification Random(RobertaConfig config, TinyRobertaOptions options) =>
        RobertaInitialisation.Random(config, options.Seed, options.InitStd);

    private static void WriteShards(
        RobertaForSequenceClassification model,
        string directory,
        TinyRobertaOptions options
    )
    {
        using var scope = NewDisposeScope();
        var state = model.state_dict().OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        long totalSize = 0;
        var perShard = (state.Count + options.Shards - 1) / options.Shards;
        for (var shard = 0; shard < options.Shards; shard++)
        {
            var file = $"model-{shard + 1:D5}-of-{options.Shards:D5}.safetensors";
            var tensors = state
                .Skip(shard * perShard)
                .Take(perShard)
                .Select(kv => KeyValuePair.Create(kv.Key, kv.Value.to(options.DType)))
                .ToList();
            SafetensorsWriter.Write(
                Path.Combine(directory, file),
                tensors,
                new Dictionary<string, string> { ["format"] = "pt" }
            );
            foreach (var (name, tensor) in tensors)
            {
                weightMap[name] = file;
                totalSize += tensor.NumberOfElements * tensor.ElementSize;
            }
        }
        var index = new { metadata = new { total_size = totalSize }, weight_map = weightMap };
        File.WriteAllText(Path.Combine(directory, "model.safetensors.index.json"), JsonSerializer.Serialize(index));
    }
}
