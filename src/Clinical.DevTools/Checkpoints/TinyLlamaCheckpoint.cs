using System.Text.Json;
using System.Text.Json.Nodes;
using Clinical.Fhir.Parsing;
using Clinical.Models.Decoders.Llama;
using Clinical.Models.Runtime;
using static TorchSharp.torch;

namespace Clinical.DevTools.Checkpoints;

public enum CheckpointLayout
{
    SingleFile,
    Sharded,
}

/// <summary>
/// Writes small random Llama models as real Hugging Face folders (config.json with LlamaForCausalLM,
/// generation_config.json, model.safetensors or two shards with model.safetensors.index.json) for tests and demos.
/// Every weight comes from a SplitMix64 stream seeded by (seed, tensor name), not from libtorch's RNG, so a seed
/// gives the same bytes on any machine and any libtorch version.
/// </summary>
public static class TinyLlamaCheckpoint
{
    /// <summary>
    /// 2 layers, 64 hidden, 4 query heads sharing 2 KV heads, vocab 128; Salamandra's special ids (bos 1, eos 2 and 5,
    /// pad 3).
    /// </summary>
    public static LlamaConfig GroupedQuery =>
        new()
        {
            HiddenSize = 64,
            NumHiddenLayers = 2,
            NumAttentionHeads = 4,
            NumKeyValueHeads = 2,
            IntermediateSize = 128,
            VocabSize = 128,
            MaxPositionEmbeddings = 128,
            RopeTheta = 10000.0,
            RmsNormEps = 1e-5,
            BosTokenId = 1,
            EosTokenIds = [2, 5],
            PadTokenId = 3,
        };

    /// <summary>As <see cref="GroupedQuery"/> with one KV head per query head (Salamandra-2B's layout).</summary>
    public static LlamaConfig MultiHead => GroupedQuery with { NumKeyValueHeads = 4 };

    public static void Write(
        string directory,
        LlamaConfig config,
        ulong seed,
        CheckpointLayout layout = CheckpointLayout.SingleFile,
        ScalarType dtype = ScalarType.Float32
    )
    {
        Directory.CreateDirectory(directory);
        using var model = Create(config, seed, CPU, ScalarType.Float32);
        using var scope = NewDisposeScope();
        var state = model.state_dict().Select(kv => KeyValuePair.Create(kv.Key, kv.Value.to(dtype))).ToList();
        if (layout == CheckpointLayout.SingleFile)
        {
            SafetensorsWriter.Write(
                Path.Combine(directory, "model.safetensors"),
                state,
                new Dictionary<string, string> { ["format"] = "pt" }
            );
        }
        else
        {
            var shardOf = state.ToDictionary(
                kv => kv.Key,
                kv =>
                    kv.Key.StartsWith("model.layers.0.", StringComparison.Ordinal)
                    || kv.Key.StartsWith("model.embed_tokens", StringComparison.Ordinal)
                        ? "model-00001-of-00002.safetensors"
                        : "model-00002-of-00002.safetensors"
            );
            foreach (var shard in shardOf.Values.Distinct())
                SafetensorsWriter.Write(
                    Path.Combine(directory, shard),
                    state.Where(kv => shardOf[kv.Key] == shard),
                    new Dictionary<string, string> { ["format"] = "pt" }
                );
            var index = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["total_size"] = state.Sum(kv => kv.Value.NumberOfElements * kv.Value.ElementSize),
                },
                ["weight_map"] = new JsonObject(
                    shardOf
                        .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                        .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))
                ),
            };
            File.WriteAllText(
                Path.Combine(directory, "model.safetensors.index.json"),
                index.ToJsonString(new JsonSerializerOptions { WriteIndented = true })
            );
        }
        File.WriteAllText(
            Path.Combine(directory, "config.json"),
            config.ToJson(dtype == ScalarType.BFloat16 ? "bfloat16" : "float32")
        );
        File.WriteAllText(Path.Combine(directory, "generation_config.json"), GenerationConfigJson(config));
    }

    /// <summary>The model <see cref="Write"/> stores, built in memory on the given device and dtype.</summary>
    public static LlamaForCausalLM Create(LlamaConfig config, ulong seed, Device device, ScalarType dtype)
    {
        var model = new LlamaForCausalLM(config, device, dtype);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.state_dict())
        {
            using var values = tensor(Values(name, parameter.shape, seed), parameter.shape);
            parameter.copy_(values);
        }
        model.eval();
        return model;
    }

    private static float[] Values(string name, long[] shape, ulong seed)
    {
        var state = seed ^ Fnv1a.Hash64(name);
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        var isNorm = name.EndsWith("norm.weight", StringComparison.Ordinal);
        var isEmbedding = name.StartsWith("model.embed_tokens", StringComparison.Ordinal);
        var halfWidth =
            isNorm ? 0.2
            : isEmbedding ? Math.Sqrt(3.0)
            : Math.Sqrt(3.0 / shape[^1]);
        for (var i = 0; i < values.Length; i++)
        {
            var uniform = (SplitMix64(ref state) >> 11) * (1.0 / (1UL << 53)) * 2.0 - 1.0;
            values[i] = (float)((isNorm ? 1.0 : 0.0) + uniform * halfWidth);
        }
        return values;
    }

    private static string GenerationConfigJson(LlamaConfig config)
    {
        var json = new JsonObject { ["do_sample"] = false };
        if (config.BosTokenId is { } bos)
            json["bos_token_id"] = bos;
        if (config.EosTokenIds.Count > 0)
            json["eos_token_id"] = new JsonArray(config.EosTokenIds.Select(i => (JsonNode)i).ToArray());
        if (config.PadTokenId is { } pad)
            json["pad_token_id"] = pad;
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
