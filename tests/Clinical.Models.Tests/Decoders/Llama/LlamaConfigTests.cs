using Clinical.DevTools.Checkpoints;
using Clinical.Models.Decoders.Llama;

namespace Clinical.Models.Tests.Decoders.Llama;

public sealed class LlamaConfigTests
{
    private const string Salamandra2B = """
        {
          "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu",
          "hidden_size": 2048, "intermediate_size": 5440, "num_hidden_layers": 24,
          "num_attention_heads": 16, "num_key_value_heads": 16, "vocab_size": 256000,
          "max_position_embeddings": 8192, "rope_theta": 10000.0, "rope_scaling": null,
          "rms_norm_eps": 1e-05, "tie_word_embeddings": false, "attention_bias": false, "mlp_bias": false,
          "bos_token_id": 1, "eos_token_id": 2, "torch_dtype": "bfloat16"
        }
        """;

    [Fact]
    public void Given_salamandra_2b_config_When_parsed_Then_every_size_and_id_is_read()
    {
        var config = LlamaConfig.Parse(Salamandra2B);

        Assert.Equal(
            (2048, 24, 16, 16, 5440, 256000, 8192),
            (
                config.HiddenSize,
                config.NumHiddenLayers,
                config.NumAttentionHeads,
                config.NumKeyValueHeads,
                config.IntermediateSize,
                config.VocabSize,
                config.MaxPositionEmbeddings
            )
        );
        Assert.Equal(128, config.HeadDim);
        Assert.Equal(10000.0, config.RopeTheta);
        Assert.Equal(1e-5, config.RmsNormEps);
        Assert.False(config.TieWordEmbeddings);
        Assert.Equal(1L, config.BosTokenId);
        Assert.Equal([2L], config.EosTokenIds);
    }

    [Theory]
    [InlineData(4096, 32, 32, 8, 11008, 8192, 1e-6)]
    [InlineData(8192, 48, 64, 8, 24576, 32768, 1e-5)]
    public void Given_salamandra_7b_or_alia_40b_config_When_parsed_Then_grouped_query_sizes_are_read(
        int hidden,
        int layers,
        int heads,
        int kvHeads,
        int ffn,
        int positions,
        double eps
    )
    {
        var json = Salamandra2B
            .Replace("\"hidden_size\": 2048", $"\"hidden_size\": {hidden}", StringComparison.Ordinal)
            .Replace("\"intermediate_size\": 5440", $"\"intermediate_size\": {ffn}", StringComparison.Ordinal)
            .Replace("\"num_hidden_layers\": 24", $"\"num_hidden_layers\": {layers}", StringComparison.Ordinal)
            .Replace("\"num_attention_heads\": 16", $"\"num_attention_heads\": {heads}", StringComparison.Ordinal)
            .Replace("\"num_key_value_heads\": 16", $"\"num_key_value_heads\": {kvHeads}", StringComparison.Ordinal)
            .Replace(
                "\"max_position_embeddings\": 8192",
                $"\"max_position_embeddings\": {positions}",
                StringComparison.Ordinal
            )
            .Replace(
                "1e-05",
                eps.ToString("0e-0", System.Globalization.CultureInfo.InvariantCulture),
                StringComparison.Ordinal
            );

        var config = LlamaConfig.Parse(json);

        Assert.Equal(
            (hidden, layers, heads, kvHeads, ffn),
            (
                config.HiddenSize,
                config.NumHiddenLayers,
                config.NumAttentionHeads,
                config.NumKeyValueHeads,
                config.IntermediateSize
            )
        );
        Assert.Equal(
            (128, heads / kvHeads, positions, eps),
            (config.HeadDim, config.KeyValueGroups, config.MaxPositionEmbeddings, config.RmsNormEps)
        );
    }

    [Fact]
    public void Given_no_num_key_value_heads_When_parsed_Then_every_query_head_has_its_own_kv_head()
    {
        var config = LlamaConfig.Parse(
            """{"hidden_size": 64, "num_hidden_layers": 1, "num_attention_heads": 8, "intermediate_size": 128,"""
                + """ "vocab_size": 10}"""
        );

        Assert.Equal(8, config.NumKeyValueHeads);
        Assert.Equal(1, config.KeyValueGroups);
    }

    [Fact]
    public void Given_generation_config_with_eos_list_When_folder_read_Then_stop_ids_are_2_and_5()
    {
        var folder = Directory.CreateTempSubdirectory("llama-config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "config.json"), Salamandra2B);
            File.WriteAllText(
                Path.Combine(folder, "generation_config.json"),
                """{"bos_token_id": 1, "eos_token_id": [2, 5], "pad_token_id": 3, "do_sample": false}"""
            );

            var config = LlamaConfig.FromFolder(folder);

            Assert.Equal([2L, 5L], config.EosTokenIds);
            Assert.Equal(3L, config.PadTokenId);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("""{"type": "linear", "factor": 2.0}""", "linear")]
    [InlineData(
        """{"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,"""
            + """ "original_max_position_embeddings": 8192}""",
        "llama3"
    )]
    [InlineData("""{"rope_type": "yarn", "factor": 4.0}""", "yarn")]
    public void Given_rope_scaling_When_parsed_Then_it_is_rejected_naming_the_type(string scaling, string type)
    {
        var json = Salamandra2B.Replace(
            "\"rope_scaling\": null",
            $"\"rope_scaling\": {scaling}",
            StringComparison.Ordinal
        );

        var error = Assert.Throws<LlamaConfigException>(() => LlamaConfig.Parse(json));

        Assert.Contains($"rope_scaling type '{type}' is not implemented", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_transformers_5_rope_parameters_When_parsed_Then_theta_is_read_and_scaling_is_still_rejected()
    {
        var plain = Salamandra2B.Replace(
            "\"rope_theta\": 10000.0, \"rope_scaling\": null",
            "\"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 500000.0}",
            StringComparison.Ordinal
        );
        var scaled = plain.Replace(
            "\"rope_type\": \"default\"",
            "\"rope_type\": \"llama3\", \"factor\": 8.0",
            StringComparison.Ordinal
        );

        Assert.Equal(500000.0, LlamaConfig.Parse(plain).RopeTheta);
        Assert.Contains(
            "'llama3' is not implemented",
            Assert.Throws<LlamaConfigException>(() => LlamaConfig.Parse(scaled)).Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Given_written_config_When_parsed_back_Then_it_equals_the_original()
    {
        var original = TinyLlamaCheckpoint.GroupedQuery;

        var parsed = LlamaConfig.Parse(original.ToJson());

        Assert.Equal(original with { EosTokenIds = [], HeadDimOverride = 16 }, parsed with { EosTokenIds = [] });
        Assert.Equal(original.EosTokenIds, parsed.EosTokenIds);
    }
}
