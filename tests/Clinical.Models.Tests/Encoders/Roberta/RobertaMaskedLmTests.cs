using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Encoders.Roberta;

public sealed class RobertaMaskedLmTests
{
    private static readonly RobertaConfig BaseConfig = new()
    {
        VocabSize = 50265,
        HiddenSize = 768,
        NumHiddenLayers = 12,
        NumAttentionHeads = 12,
        IntermediateSize = 3072,
        MaxPositionEmbeddings = 514,
        TypeVocabSize = 1,
        LayerNormEps = 1e-5,
        PadTokenId = 1,
        Architectures = ["RobertaForMaskedLM"],
    };

    private static readonly RobertaConfig TinyConfig = BaseConfig with
    {
        VocabSize = 50,
        HiddenSize = 16,
        NumHiddenLayers = 2,
        NumAttentionHeads = 2,
        IntermediateSize = 32,
        MaxPositionEmbeddings = 20,
    };

    [Fact]
    public void Given_base_config_When_built_Then_every_tensor_name_and_shape_matches_transformers_RobertaForMaskedLM()
    {
        NativeTorch.EnsureLoaded();
        using var model = new RobertaForMaskedLM(BaseConfig, new Device(DeviceType.META));

        var actual = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape, StringComparer.Ordinal);

        // The 197 encoder tensors of the classifier test, then the head; the decoder weight is the word embeddings
        // (tied: transformers' save_pretrained writes neither lm_head.decoder.weight nor lm_head.decoder.bias).
        Assert.Equal(202, actual.Count);
        Assert.Equal(197, actual.Keys.Count(k => k.StartsWith("roberta.", StringComparison.Ordinal)));
        Assert.Equal([768, 768], actual["lm_head.dense.weight"]);
        Assert.Equal([768], actual["lm_head.dense.bias"]);
        Assert.Equal([768], actual["lm_head.layer_norm.weight"]);
        Assert.Equal([768], actual["lm_head.layer_norm.bias"]);
        Assert.Equal([50265], actual["lm_head.bias"]);
        Assert.Equal([50265, 768], actual["roberta.embeddings.word_embeddings.weight"]);
        Assert.DoesNotContain(actual.Keys, k => k.StartsWith("lm_head.decoder", StringComparison.Ordinal));
        Assert.DoesNotContain(actual.Keys, k => k.StartsWith("roberta.pooler", StringComparison.Ordinal));
        // roberta-base as RobertaForMaskedLM has 124,697,433 parameters.
        Assert.Equal(124_697_433L, actual.Values.Sum(s => s.Aggregate(1L, (a, b) => a * b)));
    }

    [Fact]
    public void Given_a_saved_masked_lm_When_loaded_Then_every_tensor_round_trips_and_the_decoder_stays_tied()
    {
        using var temp = new Training.TempFolder();
        using var model = RobertaInitialisation.RandomMaskedLM(TinyConfig, seed: 5);
        CheckpointFolder.Save(model, temp.Path);
        File.WriteAllText(Path.Combine(temp.Path, "config.json"), TinyConfig.ToJson());

        using var loaded = RobertaCheckpoint.LoadForPretraining(temp.Path, seed: 99);

        var saved = model.state_dict();
        foreach (var (name, tensor) in loaded.state_dict())
            Assert.True(tensor.allclose(saved[name], 0, 0), name);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 0, 7, 8, 9, 2 }).unsqueeze(0);
        var mask = ones_like(ids);
        loaded.eval();
        var full = loaded.call(ids, mask); // (1, 5, V)
        var atTwo = loaded.PredictAt(ids, mask, tensor(new long[] { 2 }));
        Assert.True(full[0, 2].allclose(atTwo[0], atol: 1e-6));
        // Token 30 is not in the input: only a decoder tied to the word embeddings gives its row a gradient.
        loaded.train();
        nn.functional.cross_entropy(loaded.PredictAt(ids, mask, tensor(new long[] { 2 })), tensor(new long[] { 30 }))
            .backward();
        var embeddings = loaded.named_parameters().Single(p => p.name == "roberta.embeddings.word_embeddings.weight");
        Assert.True(embeddings.parameter.grad![30].abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Given_a_classifier_folder_When_loaded_for_pretraining_Then_the_encoder_is_kept_and_the_head_is_new()
    {
        using var temp = new Training.TempFolder();
        var config = TinyConfig with { Architectures = ["RobertaForSequenceClassification"] };
        using var classifier = RobertaInitialisation.Random(config, seed: 3);
        CheckpointFolder.Save(classifier, temp.Path);
        File.WriteAllText(Path.Combine(temp.Path, "config.json"), config.ToJson());

        using var mlm = RobertaCheckpoint.LoadForPretraining(temp.Path, seed: 4);

        var encoder = classifier.state_dict();
        foreach (
            var (name, tensor) in mlm.state_dict().Where(kv => kv.Key.StartsWith("roberta.", StringComparison.Ordinal))
        )
            Assert.True(tensor.allclose(encoder[name], 0, 0), name);
        Assert.Equal(["RobertaForMaskedLM"], mlm.Config.Architectures);
    }

    [Fact]
    public void Given_a_folder_with_a_foreign_tensor_When_loaded_for_pretraining_Then_the_error_names_it()
    {
        using var temp = new Training.TempFolder();
        using var model = RobertaInitialisation.RandomMaskedLM(TinyConfig, seed: 5);
        var state = model.state_dict();
        state["lm_head.extra.weight"] = zeros(3);
        SafetensorsWriter.Write(Path.Combine(temp.Path, "model.safetensors"), state, new Dictionary<string, string>());
        File.WriteAllText(Path.Combine(temp.Path, "config.json"), TinyConfig.ToJson());

        var error = Assert.Throws<CheckpointException>(() => RobertaCheckpoint.LoadForPretraining(temp.Path, 1));

        Assert.Contains("lm_head.extra.weight", error.Message, StringComparison.Ordinal);
    }
}
