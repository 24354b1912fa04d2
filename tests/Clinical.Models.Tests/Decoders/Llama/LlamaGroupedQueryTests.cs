using Clinical.DevTools.Checkpoints;
using Clinical.Models.Decoders.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Decoders.Llama;

public sealed class LlamaGroupedQueryTests
{
    [Fact]
    public void Given_gqa_model_When_kv_heads_are_copied_to_the_query_heads_they_serve_Then_mha_gives_the_same_logits()
    {
        using var scope = NewDisposeScope();
        var gqaConfig = TinyLlamaCheckpoint.GroupedQuery;
        using var gqa = TinyLlamaCheckpoint.Create(gqaConfig, 11, CPU, ScalarType.Float32);
        using var mha = new LlamaForCausalLM(
            gqaConfig with
            {
                NumKeyValueHeads = gqaConfig.NumAttentionHeads,
            },
            CPU,
            ScalarType.Float32
        );
        var mhaState = mha.state_dict();
        using (no_grad())
        {
            foreach (var (name, weight) in gqa.state_dict())
            {
                var isKv =
                    name.EndsWith("k_proj.weight", StringComparison.Ordinal)
                    || name.EndsWith("v_proj.weight", StringComparison.Ordinal);
                var source = isKv
                    ? weight
                        .view(gqaConfig.NumKeyValueHeads, gqaConfig.HeadDim, gqaConfig.HiddenSize) // (KV, D, C)
                        .repeat_interleave(gqaConfig.KeyValueGroups, dim: 0) // (H, D, C)
                        .reshape(gqaConfig.NumAttentionHeads * gqaConfig.HeadDim, gqaConfig.HiddenSize) // (H*D, C)
                    : weight;
                mhaState[name].copy_(source);
            }
        }
        var ids = tensor(new long[] { 1, 10, 20, 30, 40, 50 }, [1, 6]);
        var positions = arange(6, dtype: ScalarType.Int64).unsqueeze(0);

        using var noGrad = no_grad();
        var difference = (gqa.forward(ids, positions) - mha.forward(ids, positions)).abs().max().item<float>();

        Assert.True(difference < 1e-5, $"logits differ by {difference}");
    }
}
