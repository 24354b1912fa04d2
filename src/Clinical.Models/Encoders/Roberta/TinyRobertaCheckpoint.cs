using System.Text.Json;
using Clinical.Models.Runtime;
using Clinical.Models.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Encoders.Roberta;

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
    /// <summary>Standard deviation of the random weights; larger than transformers' 0.02 so different inputs give clearly different logits.</summary>
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
    public static RobertaConfig Write(string directory, IEnumerable<string> tokenizerTexts, TinyRobertaOptions? options = null)
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
        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJson(options.DType == ScalarType.BFloat16 ? "bfloat16" : "float32"));

        using var model = Random(config, options);
        if (options.Shards <= 1)
            CheckpointFolder.Save(model, directory, options.DType);
        else
            WriteShards(model, directory, options);
        return config;
    }

    /// <summary>A model with transformers-style initialisation (normal weights, zero biases, unit LayerNorm, zero padding rows) from its own seeded generator, so parallel work cannot change it.</summary>
    public static RobertaForSequenceClassification Random(RobertaConfig config, TinyRobertaOptions options)
    {
        var model = new RobertaForSequenceClassification(config);
        using var generator = new torch.Generator((ulong)options.Seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.EndsWith("LayerNorm.weight", StringComparison.Ordinal)) parameter.fill_(1);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) parameter.zero_();
            else parameter.normal_(0, options.InitStd, generator);
            if (name.EndsWith("word_embeddings.weight", StringComparison.Ordinal) || name.EndsWith("position_embeddings.weight", StringComparison.Ordinal))
            {
                using var paddingRow = parameter[config.PadTokenId];
                paddingRow.zero_();
            }
        }
        model.eval();
        return model;
    }

    private static void WriteShards(RobertaForSequenceClassification model, string directory, TinyRobertaOptions options)
    {
        using var scope = NewDisposeScope();
        var state = model.state_dict().OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        long totalSize = 0;
        var perShard = (state.Count + options.Shards - 1) / options.Shards;
        for (var shard = 0; shard < options.Shards; shard++)
        {
            var file = $"model-{shard + 1:D5}-of-{options.Shards:D5}.safetensors";
            var tensors = state.Skip(shard * perShard).Take(perShard)
                .Select(kv => KeyValuePair.Create(kv.Key, kv.Value.to(options.DType)))
                .ToList();
            SafetensorsWriter.Write(Path.Combine(directory, file), tensors, new Dictionary<string, string> { ["format"] = "pt" });
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
