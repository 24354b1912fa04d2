using Clinical.Models.Decoders.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Decoders.Llama;

public sealed class LlamaComponentTests
{
    [Fact]
    public void Given_small_vector_When_rms_normalised_Then_it_matches_the_hand_computed_values_times_weight()
    {
        using var scope = NewDisposeScope();
        using var norm = new LlamaRMSNorm(2, 0.0, CPU, ScalarType.Float32);
        using (no_grad())
            norm.state_dict()["weight"].copy_(tensor(new float[] { 1, 2 }));

        var output = norm.forward(tensor(new float[] { 3, 4 }, [1, 2])).data<float>().ToArray();

        var rms = Math.Sqrt((9 + 16) / 2.0);
        Assert.Equal(3 / rms, output[0], 5);
        Assert.Equal(2 * 4 / rms, output[1], 5);
    }

    [Fact]
    public void Given_fp16_activations_whose_squares_overflow_When_rms_normalised_Then_it_uses_fp32_returns_fp16()
    {
        using var scope = NewDisposeScope();
        using var norm = new LlamaRMSNorm(4, 1e-5, CPU, ScalarType.Float16);
        var input = tensor(new float[] { 300, -300, 600, 0 }, [1, 4]).to(ScalarType.Float16);

        var output = norm.forward(input);

        Assert.Equal(ScalarType.Float16, output.dtype);
        var values = output.to(ScalarType.Float32).data<float>().ToArray();
        var rms = Math.Sqrt((300.0 * 300 * 2 + 600.0 * 600) / 4);
        Assert.Equal(
            new[] { 300 / rms, -300 / rms, 600 / rms, 0 },
            values.Select(v => (double)v),
            new ToleranceComparer(2e-3)
        );
    }

    [Fact]
    public void Given_head_vector_When_rotated_half_Then_second_half_is_negated_and_swapped_to_the_front()
    {
        using var scope = NewDisposeScope();

        var rotated = LlamaRotaryEmbedding.RotateHalf(tensor(new float[] { 1, 2, 3, 4 })).data<float>().ToArray();

        Assert.Equal(new float[] { -3, -4, 1, 2 }, rotated);
    }

    [Fact]
    public void Given_position_1_head_dim_4_When_rotated_Then_i_pairs_with_i_plus_half_at_theta_pow_minus_2i_over_d()
    {
        using var scope = NewDisposeScope();
        var rotary = new LlamaRotaryEmbedding(4, 10000.0);
        var (cos, sin) = rotary.Compute(tensor(new long[] { 1 }, [1, 1]), ScalarType.Float32);
        var x = tensor(new float[] { 1, 2, 3, 4 }, [1, 1, 1, 4]); // (B, H, T, D)

        var y = LlamaRotaryEmbedding.Apply(x, cos, sin).data<float>().ToArray();

        var (a0, a1) = (1.0, 1.0 / 100.0);
        double[] expected =
        [
            1 * Math.Cos(a0) - 3 * Math.Sin(a0),
            2 * Math.Cos(a1) - 4 * Math.Sin(a1),
            3 * Math.Cos(a0) + 1 * Math.Sin(a0),
            4 * Math.Cos(a1) + 2 * Math.Sin(a1),
        ];
        Assert.Equal(expected, y.Select(v => (double)v), new ToleranceComparer(1e-5));
    }

    [Fact]
    public void Given_two_kv_heads_and_four_query_heads_When_repeated_Then_kv_head_j_serves_query_heads_2j_2j_plus_1()
    {
        using var scope = NewDisposeScope();
        var kv = tensor(new float[] { 10, 11 }, [1, 2, 1, 1]); // (B, KV, S, D)

        var repeated = LlamaAttention.RepeatKv(kv, 2).reshape(-1).data<float>().ToArray();

        Assert.Equal(new float[] { 10, 10, 11, 11 }, repeated);
    }

    [Fact]
    public void Given_left_padded_rows_When_mask_and_positions_built_Then_pads_are_invisible_tokens_count_from_zero()
    {
        using var scope = NewDisposeScope();
        var tokens = tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1 }, [2, 4]);

        var positions = LlamaAttentionMask.PositionIds(tokens).data<long>().ToArray();
        var mask = LlamaAttentionMask.Build(tokens, 0, 4).to(ScalarType.Int64).reshape(-1).data<long>().ToArray();

        Assert.Equal(new long[] { 0, 0, 0, 1, 0, 1, 2, 3 }, positions);
        long[] padded = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1];
        long[] full = [1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1];
        Assert.Equal(padded.Concat(full), mask);
    }

    [Fact]
    public void Given_cache_offset_When_mask_built_for_one_query_Then_it_is_bottom_right_aligned()
    {
        using var scope = NewDisposeScope();
        var tokens = ones(1, 5, dtype: ScalarType.Int64);

        var mask = LlamaAttentionMask.Build(tokens, 4, 1).to(ScalarType.Int64).reshape(-1).data<long>().ToArray();

        Assert.Equal(new long[] { 1, 1, 1, 1, 1 }, mask);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
