// RoBERTa encoder, sequence classifier and masked-language-model head, after huggingface/transformers
// src/transformers/models/roberta/modeling_roberta.py (RobertaEmbeddings … RobertaForSequenceClassification,
// RobertaLMHead, RobertaForMaskedLM)
// and Liu et al. 2019, "RoBERTa: A Robustly Optimized BERT Pretraining Approach". Post-norm layers,
// exact (erf) GELU, absolute positions offset past padding_idx. Field names equal the checkpoint keys.
using Clinical.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Clinical.Models.Encoders.Roberta;

/// <summary>Word + position + token-type embeddings, then LayerNorm and dropout.</summary>
public sealed class RobertaEmbeddings : Module<Tensor, Tensor>
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
    private readonly long padding_idx;

    public RobertaEmbeddings(RobertaConfig config, Device? device = null)
        : base(nameof(RobertaEmbeddings))
    {
        padding_idx = config.PadTokenId;
        word_embeddings = Embedding(
            config.VocabSize,
            config.HiddenSize,
            padding_idx: config.PadTokenId,
            device: device
        );
        position_embeddings = Embedding(
            config.MaxPositionEmbeddings,
            config.HiddenSize,
            padding_idx: config.PadTokenId,
            device: device
        );
        token_type_embeddings = Embedding(config.TypeVocabSize, config.HiddenSize, device: device);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device);
        dropout = Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <summary>The word embedding matrix (V, C), which the MLM decoder shares.</summary>
    public Parameter WordEmbeddingWeight => word_embeddings.weight!;

    /// <summary>
    /// create_position_ids_from_input_ids: real tokens count up from padding_idx + 1, pads keep padding_idx.
    /// [0, 5, 6, 2, 1, 1] with pad 1 gives [2, 3, 4, 5, 1, 1].
    /// </summary>
    public static Tensor PositionIds(Tensor input_ids, long padding_idx)
    {
        using var scope = NewDisposeScope();
        var mask = input_ids.ne(padding_idx).to(ScalarType.Int64);
        return cumsum(mask, dim: 1).mul(mask).add(padding_idx).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor input_ids)
    {
        using var scope = NewDisposeScope();
        var position_ids = PositionIds(input_ids, padding_idx);
        var token_type_ids = zeros_like(input_ids);
        var embeddings = word_embeddings
            .call(input_ids)
            .add(token_type_embeddings.call(token_type_ids))
            .add(position_embeddings.call(position_ids));
        return dropout.call(LayerNorm.call(embeddings)).MoveToOuterDisposeScope();
    }
}

/// <summary>Multi-head self-attention over the unpadded keys, through scaled_dot_product_attention.</summary>
public sealed class RobertaSelfAttention : Module<Tensor, Tensor, Tensor>, IInt8Layers
{
    private readonly QuantizedLinear query;
    private readonly QuantizedLinear key;
    private readonly QuantizedLinear value;
    private readonly long num_attention_heads;
    private readonly long attention_head_size;
    private readonly double attention_dropout;

    // int8 inference: query, key and value as one matmul over the once-quantized input (not a checkpoint tensor).
    private QuantizedLinear? _int8QueryKeyValue;

    public RobertaSelfAttention(RobertaConfig config, Device? device = null)
        : base(nameof(RobertaSelfAttention))
    {
        num_attention_heads = config.NumAttentionHeads;
        attention_head_size = config.HeadDim;
        attention_dropout = config.AttentionProbsDropoutProb;
        query = new QuantizedLinear(config.HiddenSize, config.HiddenSize, device);
        key = new QuantizedLinear(config.HiddenSize, config.HiddenSize, device);
        value = new QuantizedLinear(config.HiddenSize, config.HiddenSize, device);
        RegisterComponents();
    }

    public void QuantizeInt8()
    {
        if (_int8QueryKeyValue is not null)
            return;
        _int8QueryKeyValue = QuantizedLinear.Concatenate(query, key, value);
        _int8QueryKeyValue.Quantize();
    }

    /// <param name="hidden_states">(B, T, C)</param>
    /// <param name="key_mask">(B, 1, 1, T) bool, true where the key is a real token.</param>
    public override Tensor forward(Tensor hidden_states, Tensor key_mask)
    {
        using var scope = NewDisposeScope();
        var (batch, length) = (hidden_states.shape[0], hidden_states.shape[1]);
        var (q, k, v) = _int8QueryKeyValue is null
            ? (query.call(hidden_states), key.call(hidden_states), value.call(hidden_states))
            : SplitQueryKeyValue(_int8QueryKeyValue.call(hidden_states)); // (B, T, C) each
        // (B, H, T, D)
        q = q.view(batch, length, num_attention_heads, attention_head_size).transpose(1, 2);
        // (B, H, T, D)
        k = k.view(batch, length, num_attention_heads, attention_head_size).transpose(1, 2);
        // (B, H, T, D)
        v = v.view(batch, length, num_attention_heads, attention_head_size).transpose(1, 2);
        // (B, H, T, D)
        var context = scaled_dot_product_attention(q, k, v, key_mask, training ? attention_dropout : 0.0, false);
        return context
            .transpose(1, 2)
            .reshape(batch, length, num_attention_heads * attention_head_size) // (B, T, C)
            .MoveToOuterDisposeScope();
    }

    private static (Tensor Query, Tensor Key, Tensor Value) SplitQueryKeyValue(Tensor fused)
    {
        var parts = fused.chunk(3, -1); // (B, T, 3C) → 3 × (B, T, C)
        return (parts[0], parts[1], parts[2]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _int8QueryKeyValue?.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Projection after attention, residual, then LayerNorm (post-norm).</summary>
public sealed class RobertaSelfOutput : Module<Tensor, Tensor, Tensor>, IInt8Layers
{
    private readonly QuantizedLinear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public RobertaSelfOutput(RobertaConfig config, Device? device = null)
        : base(nameof(RobertaSelfOutput))
    {
        dense = new QuantizedLinear(config.HiddenSize, config.HiddenSize, device);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device);
        dropout = Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public void QuantizeInt8() => dense.Quantize();

    public override Tensor forward(Tensor hidden_states, Tensor input_tensor)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.call(dropout.call(dense.call(hidden_states)).add(input_tensor)).MoveToOuterDisposeScope();
    }
}

public sealed class RobertaAttention : Module<Tensor, Tensor, Tensor>
{
    private readonly RobertaSelfAttention self;
    private readonly RobertaSelfOutput output;

    public RobertaAttention(RobertaConfig config, Device? device = null)
        : base(nameof(RobertaAttention))
    {
        self = new RobertaSelfAttention(config, device);
        output = new RobertaSelfOutput(config, device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden_states, Tensor key_mask)
    {
        using var scope = NewDisposeScope();
        return output.call(self.call(hidden_states, key_mask), hidden_states).MoveToOuterDisposeScope();
    }
}

/// <summary>The feed-forward up-projection with GELU (exact erf form for hidden_act "gelu").</summary>
public sealed class RobertaIntermediate : Module<Tensor, Tensor>, IInt8Layers
{
    private readonly QuantizedLinear dense;
    private readonly GELU intermediate_act_fn;

    public RobertaIntermediate(RobertaConfig config, Device? device = null)
        : base(nameof(RobertaIntermediate))
    {
        dense = new QuantizedLinear(config.HiddenSize, config.IntermediateSize, device);
        intermediate_act_fn = config.HiddenAct switch
        {
            "gelu" => GELU(),
            "gelu_new" or "gelu_pytorch_tanh" => GELU(TorchSharp.Modules.GELU.Approximate.tanh),
            _ => throw new NotSupportedException(
                $"hidden_act '{config.HiddenAct}' is not supported (gelu, gelu_new, gelu_pytorch_tanh)."
            ),
        };
        RegisterComponents();
    }

    public void QuantizeInt8() => dense.Quantize();

    public override Tensor forward(Tensor hidden_states)
    {
        using var scope = NewDisposeScope();
        return intermediate_act_fn.call(dense.call(hidden_states)).MoveToOuterDisposeScope();
    }
}

/// <summary>The feed-forward down-projection, residual, then LayerNorm.</summary>
public sealed class RobertaOutput : Module<Tensor, Tensor, Tensor>, IInt8Layers
{
    private readonly QuantizedLinear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public RobertaOutput(RobertaConfig config, Device? device = null)
        : base(nameof(RobertaOutput))
    {
        dense = new QuantizedLinear(config.IntermediateSize, config.HiddenSize, device);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device);
        dropout = Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public void QuantizeInt8() => dense.Quantize();

    public override Tensor forward(Tensor hidden_states, Tensor input_tensor)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.call(dropout.call(dense.call(hidden_states)).add(input_tensor)).MoveToOuterDisposeScope();
    }
}

public sealed class RobertaLayer : Module<Tensor, Tensor, Tensor>
{
    private readonly RobertaAttention attention;
    private readonly RobertaIntermediate intermediate;
    private readonly RobertaOutput output;

    public RobertaLayer(RobertaConfig config, Device? device = null)
        : base(nameof(RobertaLayer))
    {
        attention = new RobertaAttention(config, device);
        intermediate = new RobertaIntermediate(config, device);
        output = new RobertaOutput(config, device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden_states, Tensor key_mask)
    {
        using var scope = NewDisposeScope();
        var attention_output = attention.call(hidden_states, key_mask);
        return output.call(intermediate.call(attention_output), attention_output).MoveToOuterDisposeScope();
    }
}

public sealed class RobertaEncoder : Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<RobertaLayer> layer;

    public RobertaEncoder(RobertaConfig config, Device? device = null)
        : base(nameof(RobertaEncoder))
    {
        layer = new ModuleList<RobertaLayer>(
            Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new RobertaLayer(config, device)).ToArray()
        );
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden_states, Tensor key_mask)
    {
        using var scope = NewDisposeScope();
        var h = hidden_states;
        foreach (var block in layer)
            h = block.call(h, key_mask);
        return h.MoveToOuterDisposeScope();
    }
}

/// <summary>RobertaModel without the pooler (add_pooling_layer=False, as the classifier builds it).</summary>
public sealed class RobertaModel : Module<Tensor, Tensor, Tensor>
{
    private readonly RobertaEmbeddings embeddings;
    private readonly RobertaEncoder encoder;

    public RobertaModel(RobertaConfig config, Device? device = null)
        : base(nameof(RobertaModel))
    {
        embeddings = new RobertaEmbeddings(config, device);
        encoder = new RobertaEncoder(config, device);
        RegisterComponents();
    }

    public Parameter WordEmbeddingWeight => embeddings.WordEmbeddingWeight;

    /// <param name="input_ids">(B, T) int64</param>
    /// <param name="attention_mask">(B, T), nonzero for real tokens</param>
    /// <returns>last_hidden_state (B, T, C)</returns>
    public override Tensor forward(Tensor input_ids, Tensor attention_mask)
    {
        using var scope = NewDisposeScope();
        var key_mask = attention_mask.ne(0).unsqueeze(1).unsqueeze(1); // (B, 1, 1, T)
        return encoder.call(embeddings.call(input_ids), key_mask).MoveToOuterDisposeScope();
    }
}

/// <summary>Head on the &lt;s&gt; token: dropout → dense → tanh → dropout → out_proj.</summary>
public sealed class RobertaClassificationHead : Module<Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly Dropout dropout;
    private readonly Linear out_proj;

    public RobertaClassificationHead(RobertaConfig config, Device? device = null)
        : base(nameof(RobertaClassificationHead))
    {
        dense = Linear(config.HiddenSize, config.HiddenSize, device: device);
        dropout = Dropout(config.ClassifierDropout ?? config.HiddenDropoutProb);
        out_proj = Linear(config.HiddenSize, config.NumLabels, device: device);
        RegisterComponents();
    }

    /// <param name="features">(B, T, C)</param>
    /// <returns>logits (B, labels)</returns>
    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var x = features.select(1, 0); // (B, C) the <s> token
        x = tanh(dense.call(dropout.call(x)));
        return out_proj.call(dropout.call(x)).MoveToOuterDisposeScope();
    }
}

public sealed class RobertaForSequenceClassification : Module<Tensor, Tensor, Tensor>
{
    private readonly RobertaModel roberta;
    private readonly RobertaClassificationHead classifier;

    public RobertaForSequenceClassification(RobertaConfig config, Device? device = null)
        : base(nameof(RobertaForSequenceClassification))
    {
        Config = config;
        roberta = new RobertaModel(config, device);
        classifier = new RobertaClassificationHead(config, device);
        RegisterComponents();
    }

    public RobertaConfig Config { get; }

    /// <summary>
    /// Checkpoint tensors this architecture does not use: an MLM head, the pooler, old position-id buffers.
    /// </summary>
    public static bool IsIgnorableCheckpointKey(string key) =>
        key.StartsWith("lm_head.", StringComparison.Ordinal)
        || key.StartsWith("roberta.pooler.", StringComparison.Ordinal)
        || key is "roberta.embeddings.position_ids" or "roberta.embeddings.token_type_ids";

    /// <returns>last_hidden_state (B, T, C)</returns>
    public Tensor Encode(Tensor input_ids, Tensor attention_mask) => roberta.call(input_ids, attention_mask);

    /// <returns>logits (B, labels)</returns>
    public override Tensor forward(Tensor input_ids, Tensor attention_mask)
    {
        using var scope = NewDisposeScope();
        var perPass = training || input_ids.device_type != DeviceType.CPU ? long.MaxValue : WindowsPerPass(input_ids);
        if (input_ids.shape[0] <= perPass)
            return classifier.call(roberta.call(input_ids, attention_mask)).MoveToOuterDisposeScope();
        // Inference on the CPU in passes small enough for the allocator to reuse their activations (MicroBatches).
        var logits = input_ids
            .split(perPass)
            .Zip(attention_mask.split(perPass), (ids, mask) => classifier.call(roberta.call(ids, mask)))
            .ToList();
        return cat(logits, 0).MoveToOuterDisposeScope();
    }

    private long WindowsPerPass(Tensor input_ids) =>
        MicroBatches.WindowsPerPass(
            input_ids.shape[1],
            Math.Max(Config.IntermediateSize, 3L * Config.HiddenSize),
            Config.NumAttentionHeads
        );
}

/// <summary>
/// The masked-language-model head: dense → gelu → layer_norm → decoder. The decoder's weight is the word
/// embedding matrix (tied, as transformers ties it), so only its bias is a tensor of the head: "lm_head.bias".
/// </summary>
public sealed class RobertaLMHead : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm layer_norm;
    private readonly Parameter bias;

    public RobertaLMHead(RobertaConfig config, Device? device = null)
        : base(nameof(RobertaLMHead))
    {
        dense = Linear(config.HiddenSize, config.HiddenSize, device: device);
        layer_norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device);
        bias = Parameter(zeros(config.VocabSize, device: device));
        RegisterComponents();
    }

    /// <param name="features">(N, C) or (B, T, C)</param>
    /// <param name="decoder_weight">(V, C) the tied word embeddings</param>
    /// <returns>prediction scores (N, V) or (B, T, V)</returns>
    public override Tensor forward(Tensor features, Tensor decoder_weight)
    {
        using var scope = NewDisposeScope();
        var x = layer_norm.call(gelu(dense.call(features)));
        return linear(x, decoder_weight, bias).MoveToOuterDisposeScope();
    }
}

/// <summary>RobertaForMaskedLM: the encoder (no pooler) and the LM head tied to its word embeddings.</summary>
public sealed class RobertaForMaskedLM : Module<Tensor, Tensor, Tensor>
{
    private readonly RobertaModel roberta;
    private readonly RobertaLMHead lm_head;

    public RobertaForMaskedLM(RobertaConfig config, Device? device = null)
        : base(nameof(RobertaForMaskedLM))
    {
        Config = config;
        roberta = new RobertaModel(config, device);
        lm_head = new RobertaLMHead(config, device);
        RegisterComponents();
    }

    public RobertaConfig Config { get; }

    /// <summary>
    /// Checkpoint tensors a loader may skip: the tied decoder (a copy of the word embeddings and of lm_head.bias when
    /// a writer stores it), the pooler, a classifier, old position-id buffers.
    /// </summary>
    public static bool IsIgnorableCheckpointKey(string key) =>
        key is "lm_head.decoder.weight" or "lm_head.decoder.bias"
        || key.StartsWith("roberta.pooler.", StringComparison.Ordinal)
        || key.StartsWith("classifier.", StringComparison.Ordinal)
        || key is "roberta.embeddings.position_ids" or "roberta.embeddings.token_type_ids";

    /// <returns>prediction scores (B, T, V)</returns>
    public override Tensor forward(Tensor input_ids, Tensor attention_mask)
    {
        using var scope = NewDisposeScope();
        var hidden = roberta.call(input_ids, attention_mask);
        return lm_head.call(hidden, roberta.WordEmbeddingWeight).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Prediction scores at the given flat positions only (b · T + t): the head runs on the masked tokens alone, which
    /// is what the loss needs and saves the (B, T, V) product.
    /// </summary>
    /// <param name="positions">(N) int64 indices into the flattened (B · T) tokens</param>
    /// <returns>prediction scores (N, V)</returns>
    public Tensor PredictAt(Tensor input_ids, Tensor attention_mask, Tensor positions)
    {
        using var scope = NewDisposeScope();
        var hidden = roberta.call(input_ids, attention_mask);
        var flat = hidden.reshape(-1, hidden.shape[2]).index_select(0, positions); // (N, C)
        return lm_head.call(flat, roberta.WordEmbeddingWeight).MoveToOuterDisposeScope();
    }
}
