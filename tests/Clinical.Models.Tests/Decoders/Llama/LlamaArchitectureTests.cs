using Clinical.DevTools.Checkpoints;
using Clinical.Models.Decoders.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Decoders.Llama;

/// <summary>
/// Pins every weight name and shape of the production architectures. The modules are built on libtorch's
/// "meta" device: the real LlamaForCausalLM class with real shapes, but no weight memory (ALIA-40B would need 81 GB).
/// The expected lists are written out from the published configs, independently of the module code.
/// </summary>
public sealed class LlamaArchitectureTests
{
    private static readonly LlamaConfig Salamandra2B = new()
    {
        HiddenSize = 2048,
        NumHiddenLayers = 24,
        NumAttentionHeads = 16,
        NumKeyValueHeads = 16,
        IntermediateSize = 5440,
        VocabSize = 256000,
        MaxPositionEmbeddings = 8192,
        RmsNormEps = 1e-5,
    };

    private static readonly LlamaConfig Salamandra7B = new()
    {
        HiddenSize = 4096,
        NumHiddenLayers = 32,
        NumAttentionHeads = 32,
        NumKeyValueHeads = 8,
        IntermediateSize = 11008,
        VocabSize = 256000,
        MaxPositionEmbeddings = 8192,
        RmsNormEps = 1e-6,
    };

    private static readonly LlamaConfig Alia40B = new()
    {
        HiddenSize = 8192,
        NumHiddenLayers = 48,
        NumAttentionHeads = 64,
        NumKeyValueHeads = 8,
        IntermediateSize = 24576,
        VocabSize = 256000,
        MaxPositionEmbeddings = 32768,
        RmsNormEps = 1e-5,
    };

    public static TheoryData<string> Architectures => ["salamandra-2b", "salamandra-7b", "alia-40b"];

    private static LlamaConfig Named(string name) =>
        name switch
        {
            "salamandra-2b" => Salamandra2B,
            "salamandra-7b" => Salamandra7B,
            _ => Alia40B,
        };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Given_production_config_When_built_on_meta_device_Then_every_weight_name_and_shape_match_checkpoint(
        string name
    )
    {
        var (config, hidden, q, kv, ffn) = name switch
        {
            "salamandra-2b" => (Salamandra2B, 2048L, 2048L, 2048L, 5440L),
            "salamandra-7b" => (Salamandra7B, 4096L, 4096L, 1024L, 11008L),
            _ => (Alia40B, 8192L, 8192L, 1024L, 24576L),
        };
        var expected = new Dictionary<string, long[]>
        {
            ["model.embed_tokens.weight"] = [256000, hidden],
            ["model.norm.weight"] = [hidden],
            ["lm_head.weight"] = [256000, hidden],
        };
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            expected[$"model.layers.{i}.input_layernorm.weight"] = [hidden];
            expected[$"model.layers.{i}.self_attn.q_proj.weight"] = [q, hidden];
            expected[$"model.layers.{i}.self_attn.k_proj.weight"] = [kv, hidden];
            expected[$"model.layers.{i}.self_attn.v_proj.weight"] = [kv, hidden];
            expected[$"model.layers.{i}.self_attn.o_proj.weight"] = [hidden, q];
            expected[$"model.layers.{i}.post_attention_layernorm.weight"] = [hidden];
            expected[$"model.layers.{i}.mlp.gate_proj.weight"] = [ffn, hidden];
            expected[$"model.layers.{i}.mlp.up_proj.weight"] = [ffn, hidden];
            expected[$"model.layers.{i}.mlp.down_proj.weight"] = [hidden, ffn];
        }

        using var model = new LlamaForCausalLM(config, new Device("meta"), ScalarType.BFloat16);
        var actual = model.state_dict();

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in expected)
            Assert.True(
                shape.SequenceEqual(actual[key].shape),
                $"{key}: expected [{string.Join(", ", shape)}], module has [{string.Join(", ", actual[key].shape)}]"
            );
        Assert.All(actual.Values, t => Assert.Equal(DeviceType.META, t.device_type));
    }

    [Theory]
    [InlineData("salamandra-2b", 2_253_490_176L)]
    [InlineData("salamandra-7b", 7_768_117_248L)]
    [InlineData("alia-40b", 40_433_885_184L)]
    public void Given_production_config_When_built_on_meta_device_Then_parameter_count_is_the_published_size(
        string name,
        long parameters
    )
    {
        using var model = new LlamaForCausalLM(Named(name), new Device("meta"), ScalarType.BFloat16);

        Assert.Equal(parameters, model.parameters().Sum(p => p.NumberOfElements));
        // bf16 weights: two bytes a parameter (README, "what runs where").
        Assert.Equal(parameters * 2, model.parameters().Sum(p => p.NumberOfElements * p.ElementSize));
    }

    [Theory]
    [InlineData("salamandra-2b", 8192, 1_610_612_736L)]
    [InlineData("salamandra-7b", 8192, 1_073_741_824L)]
    [InlineData("alia-40b", 8192, 1_610_612_736L)]
    [InlineData("alia-40b", 32768, 6_442_450_944L)]
    public void Given_production_config_When_bf16_kv_cache_built_on_meta_device_Then_bytes_match_readme(
        string name,
        long context,
        long bytes
    )
    {
        // README, "what runs where": 2 (keys, values) x layers x kv heads x head dim x context x 2 bytes, batch 1.
        using var cache = new LlamaKvCache(Named(name), 1, context, new Device("meta"), ScalarType.BFloat16);

        Assert.Equal(bytes, cache.Bytes);
    }

    [Fact]
    public void Given_tied_embeddings_When_built_Then_there_is_no_lm_head_weight()
    {
        using var model = new LlamaForCausalLM(
            TinyLlamaCheckpoint.GroupedQuery with
            {
                TieWordEmbeddings = true,
            },
            new Device("meta"),
            ScalarType.Float32
        );

        Assert.DoesNotContain("lm_head.weight", model.state_dict().Keys);
        Assert.Contains("model.embed_tokens.weight", model.state_dict().Keys);
    }
}
