using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clinical.Models.Encoders.Roberta;

/// <summary>
/// A RoBERTa or XLM-RoBERTa config.json (transformers RobertaConfig). Every size, id and epsilon is
/// read from the file; the only defaults are transformers' own for keys a file may omit.
/// </summary>
public sealed record RobertaConfig
{
    public string ModelType { get; init; } = "roberta";
    public int VocabSize { get; init; }
    public int HiddenSize { get; init; }
    public int NumHiddenLayers { get; init; }
    public int NumAttentionHeads { get; init; }
    public int IntermediateSize { get; init; }
    public string HiddenAct { get; init; } = "gelu";
    public double HiddenDropoutProb { get; init; } = 0.1;
    public double AttentionProbsDropoutProb { get; init; } = 0.1;
    public double? ClassifierDropout { get; init; }
    public int MaxPositionEmbeddings { get; init; }
    public int TypeVocabSize { get; init; } = 1;
    public double LayerNormEps { get; init; } = 1e-12;
    public int PadTokenId { get; init; } = 1;
    public int? BosTokenId { get; init; }
    public int? EosTokenId { get; init; }
    public IReadOnlyList<string> Architectures { get; init; } = ["RobertaForSequenceClassification"];
    public IReadOnlyDictionary<int, string> Id2Label { get; init; } =
        new Dictionary<int, string> { [0] = "LABEL_0", [1] = "LABEL_1" };

    public int NumLabels => Id2Label.Count;

    public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>
    /// Tokens a window may hold, &lt;s&gt; and &lt;/s&gt; included: positions start at pad_token_id + 1.
    /// </summary>
    public int MaxSequenceLength => MaxPositionEmbeddings - PadTokenId - 1;

    public int LabelId(string label) =>
        Id2Label.FirstOrDefault(kv => kv.Value == label) is { Value: not null } found
            ? found.Key
            : throw new ArgumentException(
                $"The model has no label '{label}'; its labels are {string.Join(", ", Id2Label.Values)}.",
                nameof(label)
            );

    public static RobertaConfig Load(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        var modelType = root.TryGetProperty("model_type", out var mt) ? mt.GetString() : null;
        if (modelType is not ("roberta" or "xlm-roberta"))
            throw new InvalidDataException(
                $"{path}: model_type '{modelType}' is not a RoBERTa encoder (roberta or xlm-roberta)."
            );
        if (root.TryGetProperty("position_embedding_type", out var pet) && pet.GetString() != "absolute")
            throw new InvalidDataException(
                $"{path}: position_embedding_type '{pet.GetString()}' is not supported (absolute only)."
            );

        int Int(string name) =>
            root.TryGetProperty(name, out var v)
                ? v.GetInt32()
                : throw new InvalidDataException($"{path}: '{name}' is missing.");
        int? OptionalInt(string name) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
        double? OptionalDouble(string name) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

        var labels = new Dictionary<int, string>();
        if (root.TryGetProperty("id2label", out var id2label))
        {
            foreach (var p in id2label.EnumerateObject())
                labels[int.Parse(p.Name, CultureInfo.InvariantCulture)] = p.Value.GetString()!;
        }
        else if (OptionalInt("num_labels") is { } n)
        {
            for (var i = 0; i < n; i++)
                labels[i] = $"LABEL_{i}";
        }
        var config = new RobertaConfig
        {
            ModelType = modelType,
            VocabSize = Int("vocab_size"),
            HiddenSize = Int("hidden_size"),
            NumHiddenLayers = Int("num_hidden_layers"),
            NumAttentionHeads = Int("num_attention_heads"),
            IntermediateSize = Int("intermediate_size"),
            HiddenAct = root.TryGetProperty("hidden_act", out var act) ? act.GetString()! : "gelu",
            HiddenDropoutProb = OptionalDouble("hidden_dropout_prob") ?? 0.1,
            AttentionProbsDropoutProb = OptionalDouble("attention_probs_dropout_prob") ?? 0.1,
            ClassifierDropout = OptionalDouble("classifier_dropout"),
            MaxPositionEmbeddings = Int("max_position_embeddings"),
            TypeVocabSize = OptionalInt("type_vocab_size") ?? 2,
            LayerNormEps = OptionalDouble("layer_norm_eps") ?? 1e-12,
            PadTokenId = OptionalInt("pad_token_id") ?? 1,
            BosTokenId = OptionalInt("bos_token_id"),
            EosTokenId = OptionalInt("eos_token_id"),
            Architectures = root.TryGetProperty("architectures", out var arch)
                ? arch.EnumerateArray().Select(a => a.GetString()!).ToList()
                : [],
            Id2Label = labels.Count > 0 ? labels : new Dictionary<int, string> { [0] = "LABEL_0", [1] = "LABEL_1" },
        };
        if (config.HiddenSize % config.NumAttentionHeads != 0)
            throw new InvalidDataException(
                $"{path}: hidden_size {config.HiddenSize} is not a multiple of num_attention_heads "
                    + $"{config.NumAttentionHeads}."
            );
        return config;
    }

    /// <summary>config.json as transformers writes it for RobertaForSequenceClassification.</summary>
    public string ToJson(string torchDtype = "float32")
    {
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(Architectures.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
            ["model_type"] = ModelType,
            ["vocab_size"] = VocabSize,
            ["hidden_size"] = HiddenSize,
            ["num_hidden_layers"] = NumHiddenLayers,
            ["num_attention_heads"] = NumAttentionHeads,
            ["intermediate_size"] = IntermediateSize,
            ["hidden_act"] = HiddenAct,
            ["hidden_dropout_prob"] = HiddenDropoutProb,
            ["attention_probs_dropout_prob"] = AttentionProbsDropoutProb,
            ["classifier_dropout"] = ClassifierDropout,
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["type_vocab_size"] = TypeVocabSize,
            ["layer_norm_eps"] = LayerNormEps,
            ["pad_token_id"] = PadTokenId,
            ["bos_token_id"] = BosTokenId,
            ["eos_token_id"] = EosTokenId,
            ["position_embedding_type"] = "absolute",
            ["id2label"] = new JsonObject(
                Id2Label.Select(kv =>
                    KeyValuePair.Create(kv.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)kv.Value)
                )
            ),
            ["label2id"] = new JsonObject(Id2Label.Select(kv => KeyValuePair.Create(kv.Value, (JsonNode?)kv.Key))),
            ["torch_dtype"] = torchDtype,
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
