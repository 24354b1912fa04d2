using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Encoders.Roberta;

public sealed class RobertaArchitectureTests
{
    private static readonly RobertaConfig BaseConfig = new()
    {
        VocabSize = 52000,
        HiddenSize = 768,
        NumHiddenLayers = 12,
        NumAttentionHeads = 12,
        IntermediateSize = 3072,
        MaxPositionEmbeddings = 514,
        TypeVocabSize = 1,
        LayerNormEps = 1e-5,
        PadTokenId = 1,
        Id2Label = new Dictionary<int, string> { [0] = "no_heart_failure", [1] = "heart_failure" },
    };

    private static Dictionary<string, long[]> ExpectedBaseTensors()
    {
        var expected = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["roberta.embeddings.word_embeddings.weight"] = [52000, 768],
            ["roberta.embeddings.position_embeddings.weight"] = [514, 768],
            ["roberta.embeddings.token_type_embeddings.weight"] = [1, 768],
            ["roberta.embeddings.LayerNorm.weight"] = [768],
            ["roberta.embeddings.LayerNorm.bias"] = [768],
            ["classifier.dense.weight"] = [768, 768],
            ["classifier.dense.bias"] = [768],
            ["classifier.out_proj.weight"] = [2, 768],
            ["classifier.out_proj.bias"] = [2],
        };
        for (var i = 0; i < 12; i++)
        {
            var p = $"roberta.encoder.layer.{i}.";
            foreach (var proj in new[] { "query", "key", "value" })
            {
                expected[$"{p}attention.self.{proj}.weight"] = [768, 768];
                expected[$"{p}attention.self.{proj}.bias"] = [768];
            }
            expected[$"{p}attention.output.dense.weight"] = [768, 768];
            expected[$"{p}attention.output.dense.bias"] = [768];
            expected[$"{p}attention.output.LayerNorm.weight"] = [768];
            expected[$"{p}attention.output.LayerNorm.bias"] = [768];
            expected[$"{p}intermediate.dense.weight"] = [3072, 768];
            expected[$"{p}intermediate.dense.bias"] = [3072];
            expected[$"{p}output.dense.weight"] = [768, 3072];
            expected[$"{p}output.dense.bias"] = [768];
            expected[$"{p}output.LayerNorm.weight"] = [768];
            expected[$"{p}output.LayerNorm.bias"] = [768];
        }
        return expected;
    }

    [Fact]
    public void Given_base_config_When_built_Then_every_tensor_name_and_shape_matches_the_transformers_checkpoint()
    {
        NativeTorch.EnsureLoaded();
        using var model = new RobertaForSequenceClassification(BaseConfig, new Device(DeviceType.META));

        var actual = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape, StringComparer.Ordinal);

        var expected = ExpectedBaseTensors();
        Assert.Equal(201, expected.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, shape) in expected)
            Assert.True(shape.SequenceEqual(actual[name]), $"{name}: [{string.Join(",", actual[name])}]");
        // roberta-base's classifier has 124,647,170 parameters with its 50,265-token vocabulary.
        Assert.Equal(
            124_647_170L + (52000L - 50265L) * 768,
            expected.Values.Sum(s => s.Aggregate(1L, (a, b) => a * b))
        );
    }

    [Fact]
    public void Given_ids_with_padding_When_position_ids_are_made_Then_tokens_start_after_padding_idx_and_pads_keep_it()
    {
        NativeTorch.EnsureLoaded();
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 0, 5, 6, 2, 1, 1 }).unsqueeze(0);

        var positions = RobertaEmbeddings.PositionIds(ids, padding_idx: 1);

        Assert.Equal(new long[] { 2, 3, 4, 5, 1, 1 }, positions.data<long>().ToArray());
    }

    [Fact]
    public void Given_config_json_When_loaded_Then_sizes_ids_epsilon_and_labels_come_from_the_file()
    {
        var path = Path.GetTempFileName();
        try
        {
            var written = BaseConfig with
            {
                PadTokenId = 3,
                LayerNormEps = 1e-7,
                Id2Label = new Dictionary<int, string>
                {
                    [0] = "a",
                    [1] = "b",
                    [2] = "c",
                },
            };
            File.WriteAllText(path, written.ToJson());

            var read = RobertaConfig.Load(path);

            Assert.Equal(
                (52000, 768, 12, 12, 3072, 514, 1, 3),
                (
                    read.VocabSize,
                    read.HiddenSize,
                    read.NumHiddenLayers,
                    read.NumAttentionHeads,
                    read.IntermediateSize,
                    read.MaxPositionEmbeddings,
                    read.TypeVocabSize,
                    read.PadTokenId
                )
            );
            Assert.Equal(1e-7, read.LayerNormEps);
            Assert.Equal(3, read.NumLabels);
            Assert.Equal(2, read.LabelId("c"));
            Assert.Equal(510, read.MaxSequenceLength);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Given_config_of_another_architecture_When_loaded_Then_it_is_refused_naming_the_model_type()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"model_type": "llama", "vocab_size": 10}""");

            var error = Assert.Throws<InvalidDataException>(() => RobertaConfig.Load(path));

            Assert.Contains("llama", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
