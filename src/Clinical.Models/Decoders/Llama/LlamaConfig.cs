using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clinical.Models.Decoders.Llama;

/// <summary>
/// The fields of a Hugging Face LlamaConfig (config.json, model_type "llama") that the forward pass uses,
/// plus the stop ids of generation_config.json when the folder has one.
/// </summary>
public sealed record LlamaConfig
{
    public required int HiddenSize { get; init; }
    public required int NumHiddenLayers { get; init; }
    public required int NumAttentionHeads { get; init; }
    public required int NumKeyValueHeads { get; init; }
    public required int IntermediateSize { get; init; }
    public required int VocabSize { get; init; }
    public int? HeadDimOverride { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 2048;
    public double RopeTheta { get; init; } = 10000.0;
    public double RmsNormEps { get; init; } = 1e-6;
    public bool TieWordEmbeddings { get; init; }
    public bool AttentionBias { get; init; }
    public bool MlpBias { get; init; }
    public long? BosTokenId { get; init; }
    public IReadOnlyList<long> EosTokenIds { get; init; } = [];
    public long? PadTokenId { get; init; }

    public int HeadDim => HeadDimOverride ?? HiddenSize / NumAttentionHeads;

    /// <summary>Query heads served by each KV head (1 without grouped-query attention).</summary>
    public int KeyValueGroups => NumAttentionHeads / NumKeyValueHeads;

    /// <summary>Reads config.json, and generation_config.json beside it when present (its ids win).</summary>
    public static LlamaConfig FromFolder(string directory)
    {
        var configPath = Path.Combine(directory, "config.json");
        if (!File.Exists(configPath))
            throw new LlamaConfigException($"'{directory}' has no config.json.");
        var config = Parse(File.ReadAllText(configPath), configPath);
        var generationPath = Path.Combine(directory, "generation_config.json");
        return File.Exists(generationPath)
            ? config.WithGenerationConfig(File.ReadAllText(generationPath), generationPath)
            : config;
    }

    public static LlamaConfig Parse(string json, string source = "config.json")
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new LlamaConfigException($"{source}: not a JSON object.");
        var modelType = root["model_type"]?.GetValue<string>();
        if (modelType is not null and not "llama")
            throw new LlamaConfigException($"{source}: model_type '{modelType}' is not 'llama'.");
        RejectRopeScaling(root, source);
        var hiddenAct = root["hidden_act"]?.GetValue<string>() ?? "silu";
        if (hiddenAct != "silu")
            throw new LlamaConfigException($"{source}: hidden_act '{hiddenAct}' is not implemented (only silu).");

        var heads = Required(root, "num_attention_heads", source);
        var config = new LlamaConfig
        {
            HiddenSize = Required(root, "hidden_size", source),
            NumHiddenLayers = Required(root, "num_hidden_layers", source),
            NumAttentionHeads = heads,
            NumKeyValueHeads = root["num_key_value_heads"] is { } kv ? kv.GetValue<int>() : heads,
            IntermediateSize = Required(root, "intermediate_size", source),
            VocabSize = Required(root, "vocab_size", source),
            HeadDimOverride = root["head_dim"]?.GetValue<int>(),
            MaxPositionEmbeddings = root["max_position_embeddings"]?.GetValue<int>() ?? 2048,
            RopeTheta = (root["rope_theta"] ?? root["rope_parameters"]?["rope_theta"])?.GetValue<double>() ?? 10000.0,
            RmsNormEps = root["rms_norm_eps"]?.GetValue<double>() ?? 1e-6,
            TieWordEmbeddings = root["tie_word_embeddings"]?.GetValue<bool>() ?? false,
            AttentionBias = root["attention_bias"]?.GetValue<bool>() ?? false,
            MlpBias = root["mlp_bias"]?.GetValue<bool>() ?? false,
            BosTokenId = root["bos_token_id"]?.GetValue<long>(),
            EosTokenIds = Ids(root["eos_token_id"]),
            PadTokenId = root["pad_token_id"]?.GetValue<long>(),
        };
        config.Validate(source);
        return config;
    }

    /// <summary>
    /// generation_config.json's bos/eos/pad ids replace config.json's (Salamandra instruct stops on 2 and 5 there).
    /// </summary>
    public LlamaConfig WithGenerationConfig(string json, string source = "generation_config.json")
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new LlamaConfigException($"{source}: not a JSON object.");
        var eos = Ids(root["eos_token_id"]);
        return this with
        {
            BosTokenId = root["bos_token_id"]?.GetValue<long>() ?? BosTokenId,
            EosTokenIds = eos.Count > 0 ? eos : EosTokenIds,
            PadTokenId = root["pad_token_id"]?.GetValue<long>() ?? PadTokenId,
        };
    }

    /// <summary>The config.json transformers writes for this configuration (architectures LlamaForCausalLM).</summary>
    public string ToJson(string torchDtype = "float32")
    {
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["model_type"] = "llama",
            ["hidden_act"] = "silu",
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = NumHiddenLayers,
            ["num_attention_heads"] = NumAttentionHeads,
            ["num_key_value_heads"] = NumKeyValueHeads,
            ["head_dim"] = HeadDim,
            ["vocab_size"] = VocabSize,
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["rope_theta"] = RopeTheta,
            ["rope_scaling"] = null,
            ["rms_norm_eps"] = RmsNormEps,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["attention_bias"] = AttentionBias,
            ["mlp_bias"] = MlpBias,
            ["attention_dropout"] = 0.0,
            ["initializer_range"] = 0.02,
            ["use_cache"] = true,
            ["torch_dtype"] = torchDtype,
        };
        if (BosTokenId is { } bos)
            json["bos_token_id"] = bos;
        if (EosTokenIds.Count > 0)
            json["eos_token_id"] =
                EosTokenIds.Count == 1 ? EosTokenIds[0] : new JsonArray(EosTokenIds.Select(i => (JsonNode)i).ToArray());
        if (PadTokenId is { } pad)
            json["pad_token_id"] = pad;
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private void Validate(string source)
    {
        if (
            HiddenSize <= 0
            || NumHiddenLayers <= 0
            || NumAttentionHeads <= 0
            || NumKeyValueHeads <= 0
            || IntermediateSize <= 0
            || VocabSize <= 0
        )
            throw new LlamaConfigException($"{source}: sizes must be positive.");
        if (HeadDimOverride is null && HiddenSize % NumAttentionHeads != 0)
            throw new LlamaConfigException(
                $"{source}: hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}."
            );
        if (NumAttentionHeads % NumKeyValueHeads != 0)
            throw new LlamaConfigException(
                $"{source}: num_attention_heads {NumAttentionHeads} is not a multiple of "
                    + $"num_key_value_heads {NumKeyValueHeads}."
            );
        if (HeadDim % 2 != 0)
            throw new LlamaConfigException($"{source}: head dimension {HeadDim} must be even for rotary embeddings.");
    }

    /// <summary>
    /// transformers ≤ 4.x writes rope_scaling; 5.x writes rope_parameters (with rope_theta inside).
    /// </summary>
    private static void RejectRopeScaling(JsonObject root, string source)
    {
        if ((root["rope_scaling"] ?? root["rope_parameters"]) is not JsonObject scaling)
            return;
        var type =
            (scaling["rope_type"] ?? scaling["type"])?.GetValue<string>()
            ?? (scaling["factor"] is null ? "default" : "(no type)");
        if (type == "default")
            return;
        throw new LlamaConfigException(
            $"{source}: rope_scaling type '{type}' is not implemented; "
                + "only unscaled rotary embeddings (rope_scaling null or 'default') are. "
                + "Salamandra and ALIA use none; a model with linear, dynamic, yarn or llama3 scaling "
                + "needs that variant added to LlamaRotaryEmbedding."
        );
    }

    private static int Required(JsonObject root, string name, string source) =>
        root[name]?.GetValue<int>() ?? throw new LlamaConfigException($"{source}: '{name}' is missing.");

    private static List<long> Ids(JsonNode? node) =>
        node switch
        {
            null => [],
            JsonArray array => array.Select(i => i!.GetValue<long>()).ToList(),
            _ => [node.GetValue<long>()],
        };
}

/// <summary>A config.json this Llama implementation cannot run; the message names the file and field.</summary>
public sealed class LlamaConfigException(string message) : Exception(message);
