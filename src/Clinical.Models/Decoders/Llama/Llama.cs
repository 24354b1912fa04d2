// Llama decoder-only transformer for causal language modelling (Salamandra, ALIA).
// Reference: huggingface/transformers src/transformers/models/llama/modeling_llama.py
// (LlamaRMSNorm, LlamaRotaryEmbedding, rotate_half, apply_rotary_pos_emb, LlamaMLP, repeat_kv,
// LlamaAttention, LlamaDecoderLayer, LlamaModel, LlamaForCausalLM). TorchSharp idioms after
// dotnet/machinelearning src/Microsoft.ML.GenAI.LLaMA. Field names equal checkpoint keys.
using Clinical.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Clinical.Models.Decoders.Llama;

/// <summary>Root-mean-square norm computed in float32, cast back to the input dtype, then scaled by weight.</summary>
public sealed class LlamaRMSNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double _eps;

    public LlamaRMSNorm(long hiddenSize, double eps, Device device, ScalarType dtype)
        : base(nameof(LlamaRMSNorm))
    {
        weight = new Parameter(ones(hiddenSize, dtype: dtype, device: device));
        _eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var x = hidden.to(ScalarType.Float32);
        var variance = x.pow(2).mean([-1], keepdim: true);
        x = x * rsqrt(variance + _eps);
        return scope.MoveToOuter(weight * x.to(hidden.dtype));
    }
}

/// <summary>
/// Rotary position embedding in the rotate-half layout: frequencies are cat(freqs, freqs) over the head
/// dimension and a vector rotates as x*cos + rotate_half(x)*sin. No rope_scaling (LlamaConfig rejects it).
/// inv_freq is recomputed per call instead of held as a buffer, so it never enters the state dict.
/// </summary>
public sealed class LlamaRotaryEmbedding(int headDim, double theta)
{
    /// <summary>cos and sin for each position, (B, T, D), in <paramref name="dtype"/>; computed in float32.</summary>
    public (Tensor Cos, Tensor Sin) Compute(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var exponent =
            arange(0, headDim, 2, dtype: ScalarType.Int64, device: positionIds.device).to(ScalarType.Float32) / headDim;
        // (D/2)
        var invFreq = tensor(theta, dtype: ScalarType.Float32, device: positionIds.device).pow(exponent).reciprocal();
        var freqs = positionIds.to(ScalarType.Float32).unsqueeze(-1) * invFreq; // (B, T, D/2)
        var emb = cat([freqs, freqs], -1); // (B, T, D)
        return (scope.MoveToOuter(emb.cos().to(dtype)), scope.MoveToOuter(emb.sin().to(dtype)));
    }

    /// <summary>(x1, x2) → (−x2, x1) over the two halves of the last dimension.</summary>
    public static Tensor RotateHalf(Tensor x)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        return scope.MoveToOuter(cat([-x2, x1], -1));
    }

    /// <summary>Rotates queries or keys (B, H, T, D) by cos/sin (B, T, D).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var c = cos.unsqueeze(1); // (B, 1, T, D)
        var s = sin.unsqueeze(1); // (B, 1, T, D)
        return scope.MoveToOuter(x * c + RotateHalf(x) * s);
    }
}

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) * up(x)).</summary>
public sealed class LlamaMLP : nn.Module<Tensor, Tensor>
{
    private readonly Linear gate_proj;
    private readonly Linear up_proj;
    private readonly Linear down_proj;

    public LlamaMLP(LlamaConfig config, Device device, ScalarType dtype)
        : base(nameof(LlamaMLP))
    {
        gate_proj = nn.Linear(
            config.HiddenSize,
            config.IntermediateSize,
            hasBias: config.MlpBias,
            device: device,
            dtype: dtype
        );
        up_proj = nn.Linear(
            config.HiddenSize,
            config.IntermediateSize,
            hasBias: config.MlpBias,
            device: device,
            dtype: dtype
        );
        down_proj = nn.Linear(
            config.IntermediateSize,
            config.HiddenSize,
            hasBias: config.MlpBias,
            device: device,
            dtype: dtype
        );
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(
            down_proj.forward(nn.functional.silu(gate_proj.forward(hidden)) * up_proj.forward(hidden))
        );
    }
}

/// <summary>Multi-head attention with grouped-query KV heads, rotary positions and an optional KV cache.</summary>
public sealed class LlamaAttention : nn.Module
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
    private readonly int _layerIndex;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;

    public LlamaAttention(LlamaConfig config, int layerIndex, Device device, ScalarType dtype)
        : base(nameof(LlamaAttention))
    {
        _layerIndex = layerIndex;
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        q_proj = nn.Linear(
            config.HiddenSize,
            _heads * _headDim,
            hasBias: config.AttentionBias,
            device: device,
            dtype: dtype
        );
        k_proj = nn.Linear(
            config.HiddenSize,
            _kvHeads * _headDim,
            hasBias: config.AttentionBias,
            device: device,
            dtype: dtype
        );
        v_proj = nn.Linear(
            config.HiddenSize,
            _kvHeads * _headDim,
            hasBias: config.AttentionBias,
            device: device,
            dtype: dtype
        );
        o_proj = nn.Linear(
            _heads * _headDim,
            config.HiddenSize,
            hasBias: config.AttentionBias,
            device: device,
            dtype: dtype
        );
        RegisterComponents();
    }

    /// <param name="hidden">(B, T, C)</param>
    /// <param name="cos">(B, T, D) from <see cref="LlamaRotaryEmbedding"/>.</param>
    /// <param name="sin">(B, T, D)</param>
    /// <param name="mask">(B, 1, T, S) bool, true = attend; null = causal with S = T.</param>
    /// <param name="cache">When given, this call's keys and values are written at [cacheStart, cacheStart + T) and
    /// attention spans [0, cacheStart + T).</param>
    public Tensor forward(Tensor hidden, Tensor cos, Tensor sin, Tensor? mask, LlamaKvCache? cache, long cacheStart)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (hidden.shape[0], hidden.shape[1]);
        var q = q_proj.forward(hidden).view(b, t, _heads, _headDim).transpose(1, 2); // (B, H, T, D)
        var k = k_proj.forward(hidden).view(b, t, _kvHeads, _headDim).transpose(1, 2); // (B, KV, T, D)
        var v = v_proj.forward(hidden).view(b, t, _kvHeads, _headDim).transpose(1, 2); // (B, KV, T, D)
        q = LlamaRotaryEmbedding.Apply(q, cos, sin);
        k = LlamaRotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null)
            (k, v) = cache.Update(_layerIndex, k, v, cacheStart); // (B, KV, S, D)
        k = RepeatKv(k, _heads / _kvHeads); // (B, H, S, D)
        v = RepeatKv(v, _heads / _kvHeads); // (B, H, S, D)
        var attended = mask is null
            ? nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true)
            : nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask); // (B, H, T, D)
        var merged = attended.transpose(1, 2).reshape(b, t, _heads * _headDim); // (B, T, H*D)
        return scope.MoveToOuter(o_proj.forward(merged));
    }

    /// <summary>
    /// KV head j serves query heads j*n … j*n+n−1: repeat_interleave on the head axis, as transformers' repeat_kv.
    /// </summary>
    public static Tensor RepeatKv(Tensor kv, int groups) =>
        groups == 1 ? kv.alias() : kv.repeat_interleave(groups, dim: 1); // (B, KV*groups, S, D)
}

/// <summary>Pre-norm block: x + attn(norm(x)), then h + mlp(norm(h)).</summary>
public sealed class LlamaDecoderLayer : nn.Module
{
    private readonly LlamaRMSNorm input_layernorm;
    private readonly LlamaAttention self_attn;
    private readonly LlamaRMSNorm post_attention_layernorm;
    private readonly LlamaMLP mlp;

    public LlamaDecoderLayer(LlamaConfig config, int layerIndex, Device device, ScalarType dtype)
        : base(nameof(LlamaDecoderLayer))
    {
        input_layernorm = new LlamaRMSNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        self_attn = new LlamaAttention(config, layerIndex, device, dtype);
        post_attention_layernorm = new LlamaRMSNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        mlp = new LlamaMLP(config, device, dtype);
        RegisterComponents();
    }

    public Tensor forward(Tensor hidden, Tensor cos, Tensor sin, Tensor? mask, LlamaKvCache? cache, long cacheStart)
    {
        using var scope = NewDisposeScope();
        var attended = hidden + self_attn.forward(input_layernorm.forward(hidden), cos, sin, mask, cache, cacheStart);
        return scope.MoveToOuter(attended + mlp.forward(post_attention_layernorm.forward(attended)));
    }
}

/// <summary>
/// nn.Embedding without padding_idx, as a managed module: TorchSharp's native Embedding constructor
/// allocates and initialises on the CPU even when asked for the meta device (35 s for ALIA's 256000 × 8192).
/// </summary>
public sealed class LlamaTokenEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    public LlamaTokenEmbedding(long vocabSize, long hiddenSize, Device device, ScalarType dtype)
        : base(nameof(LlamaTokenEmbedding))
    {
        weight = new Parameter(empty([vocabSize, hiddenSize], dtype: dtype, device: device));
        using (no_grad())
            nn.init.normal_(weight);
        RegisterComponents();
    }

    public Tensor Weight => weight;

    public override Tensor forward(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        var rows = weight.index_select(0, inputIds.reshape(-1)); // (B*T, C)
        return scope.MoveToOuter(rows.view(inputIds.shape[0], inputIds.shape[1], weight.shape[1])); // (B, T, C)
    }
}

/// <summary>Token embedding → decoder layers → final norm; returns hidden states (B, T, C).</summary>
public sealed class LlamaModel : nn.Module
{
    private readonly LlamaTokenEmbedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly LlamaRMSNorm norm;
    private readonly LlamaRotaryEmbedding _rotary;

    public LlamaModel(LlamaConfig config, Device device, ScalarType dtype)
        : base(nameof(LlamaModel))
    {
        embed_tokens = new LlamaTokenEmbedding(config.VocabSize, config.HiddenSize, device, dtype);
        layers = new ModuleList<LlamaDecoderLayer>(
            Enumerable
                .Range(0, config.NumHiddenLayers)
                .Select(i => new LlamaDecoderLayer(config, i, device, dtype))
                .ToArray()
        );
        norm = new LlamaRMSNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        _rotary = new LlamaRotaryEmbedding(config.HeadDim, config.RopeTheta);
        RegisterComponents();
    }

    internal Tensor EmbeddingWeight => embed_tokens.Weight;

    /// <param name="inputIds">(B, T) int64.</param>
    /// <param name="positionIds">(B, T) int64; with left padding cumsum(mask) − 1, clamped at 0.</param>
    /// <param name="mask">(B, 1, T, S) bool from <see cref="LlamaAttentionMask"/>; null = plain causal over this call's
    /// T tokens (no cache offset).</param>
    public Tensor forward(Tensor inputIds, Tensor positionIds, Tensor? mask, LlamaKvCache? cache, long cacheStart)
    {
        if (mask is null && cacheStart > 0)
            throw new ArgumentException(
                "A cache offset needs an explicit mask: TorchSharp's is_casual mask is top-left aligned.",
                nameof(mask)
            );
        using var scope = NewDisposeScope();
        var hidden = embed_tokens.forward(inputIds); // (B, T, C)
        var (cos, sin) = _rotary.Compute(positionIds, hidden.dtype); // (B, T, D)
        foreach (var layer in layers)
        {
            var next = layer.forward(hidden, cos, sin, mask, cache, cacheStart);
            hidden.Dispose();
            hidden = next;
        }
        return scope.MoveToOuter(norm.forward(hidden));
    }
}

/// <summary>
/// Llama with its language-model head: logits (B, T, V) over the vocabulary. lm_head is tied to embed_tokens when the
/// config says so.
/// </summary>
public sealed class LlamaForCausalLM : nn.Module
{
    private readonly LlamaModel model;
    private readonly Linear? lm_head;

    public LlamaForCausalLM(LlamaConfig config, Device device, ScalarType dtype)
        : base(nameof(LlamaForCausalLM))
    {
        Config = config;
        Device = device;
        DType = dtype;
        model = new LlamaModel(config, device, dtype);
        lm_head = config.TieWordEmbeddings
            ? null
            : nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public LlamaConfig Config { get; }

    public Device Device { get; }

    public ScalarType DType { get; }

    /// <summary>
    /// Reads config.json (and generation_config.json) and the safetensors weights of a Hugging Face folder,
    /// strictly: a missing, unexpected or mis-shaped tensor is an error naming it.
    /// </summary>
    public static LlamaForCausalLM FromPretrained(string directory, ComputeTarget target)
    {
        var config = LlamaConfig.FromFolder(directory);
        var checkpoint = CheckpointFolder.Open(directory);
        var llama = new LlamaForCausalLM(config, target.Device, target.DType);
        try
        {
            checkpoint.LoadInto(llama, IsIgnorable(config));
        }
        catch
        {
            llama.Dispose();
            throw;
        }
        llama.eval();
        return llama;
    }

    /// <summary>
    /// Tensors a transformers checkpoint may hold that this module does not: old rotary buffers, and lm_head when tied.
    /// </summary>
    public static Func<string, bool> IsIgnorable(LlamaConfig config) =>
        name =>
            name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal)
            || (config.TieWordEmbeddings && name == "lm_head.weight");

    /// <param name="logitsToKeep">0 = logits for every position; n = for the last n only (prefill needs 1).</param>
    public Tensor forward(
        Tensor inputIds,
        Tensor positionIds,
        Tensor? mask = null,
        LlamaKvCache? cache = null,
        long cacheStart = 0,
        int logitsToKeep = 0
    )
    {
        using var scope = NewDisposeScope();
        var hidden = model.forward(inputIds, positionIds, mask, cache, cacheStart); // (B, T, C)
        if (logitsToKeep > 0)
            hidden = hidden.narrow(1, hidden.shape[1] - logitsToKeep, logitsToKeep); // (B, K, C)
        // (B, T, V)
        var logits = lm_head is null ? nn.functional.linear(hidden, model.EmbeddingWeight) : lm_head.forward(hidden);
        return scope.MoveToOuter(logits);
    }
}
