using Clinical.DevTools.Checkpoints;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Tests.Text;
using Clinical.Models.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Encoders.Roberta;

public sealed class RobertaCheckpointTests
{
    private static readonly string[] Notes = [ClinicalTexts.Corpus[0], "Niega disnea.", ClinicalTexts.Tricky];

    private static float[] Logits(string directory, ComputeTarget target, IReadOnlyList<string>? texts = null)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        using var model = RobertaCheckpoint.Load(directory, target);
        var tokenizer = NoteTokenizer.Load(directory);
        var (ids, mask) = RobertaInputs.Batch(tokenizer, texts ?? Notes, target.Device);
        return model.call(ids, mask).to(ScalarType.Float32).cpu().data<float>().ToArray();
    }

    [Fact]
    public void Given_tiny_hf_folder_When_loaded_strictly_Then_it_classifies_on_every_device()
    {
        using var tiny = new TinyRoberta();
        foreach (var target in ComputeTarget.Available())
        {
            var logits = Logits(tiny.Directory, target);

            Assert.Equal(Notes.Length * 2, logits.Length);
            Assert.All(logits, l => Assert.True(float.IsFinite(l)));
            Assert.NotEqual(logits[0], logits[2]);
        }
    }

    [Fact]
    public void Given_loaded_model_When_saved_through_safetensors_writer_and_reloaded_Then_logits_are_identical()
    {
        using var tiny = new TinyRoberta();
        var copy = Directory.CreateTempSubdirectory("roberta-copy-").FullName;
        try
        {
            using (var model = RobertaCheckpoint.Load(tiny.Directory, ComputeTarget.Cpu))
                CheckpointFolder.Save(model, copy);
            foreach (
                var file in new[]
                {
                    "config.json",
                    "vocab.json",
                    "merges.txt",
                    "tokenizer_config.json",
                    "special_tokens_map.json",
                }
            )
                File.Copy(tiny.PathOf(file), Path.Combine(copy, file));

            foreach (var target in ComputeTarget.Available())
                Assert.Equal(Logits(tiny.Directory, target), Logits(copy, target));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void Given_checkpoint_without_a_tensor_When_loaded_Then_the_error_names_the_missing_key()
    {
        using var tiny = new TinyRoberta();
        RewriteWeights(tiny, state => state.Remove("roberta.encoder.layer.1.attention.self.key.bias"));

        var error = Assert.Throws<CheckpointException>(() => RobertaCheckpoint.Load(tiny.Directory, ComputeTarget.Cpu));

        Assert.Contains("'roberta.encoder.layer.1.attention.self.key.bias'", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_checkpoint_with_a_wrongly_shaped_tensor_When_loaded_Then_the_error_names_the_key_and_both_shapes()
    {
        using var tiny = new TinyRoberta();
        RewriteWeights(tiny, state => state["classifier.out_proj.weight"] = zeros(3, tiny.Config.HiddenSize));

        var error = Assert.Throws<CheckpointException>(() => RobertaCheckpoint.Load(tiny.Directory, ComputeTarget.Cpu));

        Assert.Contains("'classifier.out_proj.weight'", error.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 32]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_checkpoint_with_an_unknown_tensor_When_loaded_Then_it_is_refused_but_mlm_head_and_pooler_ignored()
    {
        using var tiny = new TinyRoberta();
        RewriteWeights(
            tiny,
            state =>
            {
                state["lm_head.dense.weight"] = zeros(32, 32);
                state["roberta.pooler.dense.weight"] = zeros(32, 32);
            }
        );
        using (RobertaCheckpoint.Load(tiny.Directory, ComputeTarget.Cpu)) { }
        RewriteWeights(tiny, state => state["roberta.encoder.layer.9.output.dense.weight"] = zeros(32, 64));

        var error = Assert.Throws<CheckpointException>(() => RobertaCheckpoint.Load(tiny.Directory, ComputeTarget.Cpu));

        Assert.Contains("'roberta.encoder.layer.9.output.dense.weight'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_folder_with_only_pickle_weights_When_loaded_Then_the_error_names_file_and_safetensors_way_out()
    {
        using var tiny = new TinyRoberta();
        File.Move(tiny.PathOf("model.safetensors"), tiny.PathOf("pytorch_model.bin"));

        var error = Assert.Throws<CheckpointException>(() => RobertaCheckpoint.Load(tiny.Directory, ComputeTarget.Cpu));

        Assert.Contains("pytorch_model.bin", error.Message, StringComparison.Ordinal);
        Assert.Contains("safetensors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_sharded_checkpoint_When_loaded_Then_logits_equal_the_single_file_checkpoint()
    {
        using var single = new TinyRoberta();
        using var sharded = new TinyRoberta(new TinyRobertaOptions { Shards = 3 });

        Assert.True(File.Exists(sharded.PathOf("model.safetensors.index.json")));
        Assert.False(File.Exists(sharded.PathOf("model.safetensors")));
        Assert.Equal(Logits(single.Directory, ComputeTarget.Cpu), Logits(sharded.Directory, ComputeTarget.Cpu));
    }

    [Fact]
    public void Given_bf16_checkpoint_When_loaded_in_fp32_Then_logits_are_close_to_the_fp32_checkpoint()
    {
        using var fp32 = new TinyRoberta();
        using var bf16 = new TinyRoberta(new TinyRobertaOptions { DType = ScalarType.BFloat16 });

        Assert.Equal(
            "BF16",
            SafetensorsFile.Open(bf16.PathOf("model.safetensors")).Entries["classifier.dense.weight"].DType
        );
        var expected = Logits(fp32.Directory, ComputeTarget.Cpu);
        var actual = Logits(bf16.Directory, ComputeTarget.Cpu);
        for (var i = 0; i < expected.Length; i++)
            Assert.InRange(actual[i], expected[i] - 0.1f, expected[i] + 0.1f);
        Assert.NotEqual(expected, actual);
    }

    private static void RewriteWeights(TinyRoberta tiny, Action<Dictionary<string, Tensor>> edit)
    {
        using var scope = NewDisposeScope();
        var path = tiny.PathOf("model.safetensors");
        var file = SafetensorsFile.Open(path);
        var state = file.Entries.Keys.ToDictionary(name => name, file.Read, StringComparer.Ordinal);
        edit(state);
        SafetensorsWriter.Write(path, state);
    }
}

public sealed class RobertaFineTuningLoadTests
{
    private static void ToMaskedLanguageModel(TinyRoberta tiny, Action<Dictionary<string, Tensor>>? edit = null)
    {
        using var scope = NewDisposeScope();
        var file = SafetensorsFile.Open(tiny.PathOf("model.safetensors"));
        var state = file
            .Entries.Keys.Where(k => !k.StartsWith("classifier.", StringComparison.Ordinal))
            .ToDictionary(k => k, file.Read, StringComparer.Ordinal);
        state["lm_head.dense.weight"] = zeros(32, 32);
        state["lm_head.bias"] = zeros(tiny.Config.VocabSize);
        edit?.Invoke(state);
        SafetensorsWriter.Write(tiny.PathOf("model.safetensors"), state);
    }

    [Fact]
    public void Given_masked_lm_checkpoint_When_loaded_for_fine_tuning_Then_encoder_is_it_and_head_has_new_labels()
    {
        using var tiny = new TinyRoberta();
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        using var original = RobertaCheckpoint.Load(tiny.Directory, ComputeTarget.Cpu);
        var tokenizer = Clinical.Models.Text.NoteTokenizer.Load(tiny.Directory);
        var (ids, mask) = RobertaInputs.Batch(tokenizer, [ClinicalTexts.Corpus[0]], CPU);
        var expected = original.Encode(ids, mask);
        ToMaskedLanguageModel(tiny);

        using var model = RobertaCheckpoint.LoadForFineTuning(
            tiny.Directory,
            ComputeTarget.Cpu,
            ["no", "possible", "yes"]
        );
        model.eval();

        Assert.True(model.Encode(ids, mask).sub(expected).abs().max().item<float>() < 1e-6f);
        Assert.Equal(new long[] { 1, 3 }, model.call(ids, mask).shape);
        Assert.Equal("possible", model.Config.Id2Label[1]);
    }

    [Fact]
    public void Given_masked_lm_checkpoint_missing_encoder_tensor_When_loaded_for_fine_tuning_Then_the_error_names_it()
    {
        using var tiny = new TinyRoberta();
        ToMaskedLanguageModel(tiny, state => state.Remove("roberta.encoder.layer.0.output.LayerNorm.bias"));

        var error = Assert.Throws<CheckpointException>(() =>
            RobertaCheckpoint.LoadForFineTuning(tiny.Directory, ComputeTarget.Cpu, ["no", "yes"])
        );

        Assert.Contains("'roberta.encoder.layer.0.output.LayerNorm.bias'", error.Message, StringComparison.Ordinal);
    }
}
