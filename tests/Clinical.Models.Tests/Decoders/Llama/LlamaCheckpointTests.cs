using Clinical.DevTools.Checkpoints;
using Clinical.Models.Decoders.Llama;
using Clinical.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Decoders.Llama;

public sealed class LlamaCheckpointTests(TinyLlamaFolders folders) : IClassFixture<TinyLlamaFolders>
{
    [Fact]
    public void Given_written_tiny_checkpoint_When_loaded_on_every_device_Then_weights_equal_the_seeded_model()
    {
        using var expected = TinyLlamaCheckpoint.Create(
            TinyLlamaCheckpoint.GroupedQuery,
            TinyLlamaFolders.Seed,
            CPU,
            ScalarType.Float32
        );
        foreach (var target in ComputeTarget.Available())
        {
            using var loaded = LlamaForCausalLM.FromPretrained(folders.GroupedQuery, target);
            var loadedState = loaded.state_dict();

            foreach (var (name, weight) in expected.state_dict())
            {
                using var scope = NewDisposeScope();
                Assert.True(
                    Same(weight.to(target.DType), loadedState[name].cpu()),
                    $"{target}: {name} differs from the seeded weights"
                );
            }
        }
    }

    [Fact]
    public void Given_hf_folder_files_When_written_Then_config_names_llama_for_causal_lm_and_generation_stops_on_2_5()
    {
        var config = File.ReadAllText(Path.Combine(folders.GroupedQuery, "config.json"));

        Assert.Contains("\"LlamaForCausalLM\"", config, StringComparison.Ordinal);
        Assert.Equal([2L, 5L], LlamaConfig.FromFolder(folders.GroupedQuery).EosTokenIds);
        Assert.True(File.Exists(Path.Combine(folders.Sharded, "model.safetensors.index.json")));
        Assert.Equal(2, Directory.EnumerateFiles(folders.Sharded, "model-0000?-of-00002.safetensors").Count());
    }

    [Fact]
    public void Given_sharded_checkpoint_When_loaded_Then_it_equals_the_single_file_one()
    {
        using var single = LlamaForCausalLM.FromPretrained(folders.GroupedQuery, ComputeTarget.Cpu);
        using var sharded = LlamaForCausalLM.FromPretrained(folders.Sharded, ComputeTarget.Cpu);
        var shardedState = sharded.state_dict();

        Assert.All(single.state_dict(), kv => Assert.True(Same(kv.Value, shardedState[kv.Key]), kv.Key));
    }

    [Fact]
    public void Given_bf16_checkpoint_When_loaded_in_fp32_Then_weights_are_the_bf16_rounding_of_the_fp32_ones()
    {
        using var full = LlamaForCausalLM.FromPretrained(folders.GroupedQuery, ComputeTarget.Cpu);
        using var halved = LlamaForCausalLM.FromPretrained(folders.BFloat16, ComputeTarget.Cpu);
        var halvedState = halved.state_dict();

        Assert.Contains(
            "bfloat16",
            File.ReadAllText(Path.Combine(folders.BFloat16, "config.json")),
            StringComparison.Ordinal
        );
        foreach (var (name, weight) in full.state_dict())
        {
            using var scope = NewDisposeScope();
            Assert.True(Same(weight.to(ScalarType.BFloat16).to(ScalarType.Float32), halvedState[name]), name);
        }
    }

    [Fact]
    public void Given_checkpoint_without_a_layer_weight_When_loaded_Then_load_fails_naming_the_missing_key()
    {
        var folder = folders.CopyOfGroupedQuery();
        try
        {
            RewriteWithout(folder, "model.layers.1.mlp.up_proj.weight");

            var error = Assert.Throws<CheckpointException>(() =>
                LlamaForCausalLM.FromPretrained(folder, ComputeTarget.Cpu)
            );

            Assert.Contains(
                "missing tensor 'model.layers.1.mlp.up_proj.weight'",
                error.Message,
                StringComparison.Ordinal
            );
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Given_checkpoint_with_a_mis_shaped_weight_When_loaded_Then_load_fails_naming_the_key_and_both_shapes()
    {
        var folder = folders.CopyOfGroupedQuery();
        try
        {
            RewriteWith(folder, "model.layers.0.self_attn.k_proj.weight", zeros(64, 64));

            var error = Assert.Throws<CheckpointException>(() =>
                LlamaForCausalLM.FromPretrained(folder, ComputeTarget.Cpu)
            );

            Assert.Contains(
                "tensor 'model.layers.0.self_attn.k_proj.weight' has shape [64, 64] but the model expects [32, 64]",
                error.Message,
                StringComparison.Ordinal
            );
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Given_checkpoint_with_a_foreign_tensor_When_loaded_Then_it_fails_naming_it_but_old_rotary_buffers_pass()
    {
        var folder = folders.CopyOfGroupedQuery();
        try
        {
            RewriteWith(folder, "model.layers.0.self_attn.rotary_emb.inv_freq", ones(8));
            using (LlamaForCausalLM.FromPretrained(folder, ComputeTarget.Cpu)) { }
            RewriteWith(folder, "model.layers.0.self_attn.q_proj.bias", zeros(64));

            var error = Assert.Throws<CheckpointException>(() =>
                LlamaForCausalLM.FromPretrained(folder, ComputeTarget.Cpu)
            );

            Assert.Contains(
                "unexpected tensor 'model.layers.0.self_attn.q_proj.bias'",
                error.Message,
                StringComparison.Ordinal
            );
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool Same(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();

    private static void RewriteWithout(string folder, string name) => Rewrite(folder, state => state.Remove(name));

    private static void RewriteWith(string folder, string name, Tensor value) =>
        Rewrite(folder, state => state[name] = value);

    private static void Rewrite(string folder, Action<Dictionary<string, Tensor>> change)
    {
        var path = Path.Combine(folder, "model.safetensors");
        var file = SafetensorsFile.Open(path);
        var state = file.Entries.Keys.ToDictionary(k => k, file.Read, StringComparer.Ordinal);
        change(state);
        SafetensorsWriter.Write(path, state);
        foreach (var tensor in state.Values)
            tensor.Dispose();
    }
}
