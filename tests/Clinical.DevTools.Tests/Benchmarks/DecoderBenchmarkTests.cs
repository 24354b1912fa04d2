using Clinical.DevTools.Benchmarks;
using Clinical.DevTools.Checkpoints;
using Clinical.Models.Decoders.Llama;
using Clinical.Models.Runtime;

namespace Clinical.DevTools.Tests.Benchmarks;

public sealed class DecoderBenchmarkTests
{
    [Fact]
    public void Given_tiny_model_When_measured_Then_throughputs_are_positive_and_the_bound_uses_all_but_the_embedding()
    {
        using var model = TinyLlamaCheckpoint.Create(
            TinyLlamaCheckpoint.GroupedQuery,
            1,
            ComputeTarget.Cpu.Device,
            ComputeTarget.Cpu.DType
        );
        var bandwidth = DecoderBenchmark.CopyBandwidth(ComputeTarget.Cpu.Device, 1L << 20);

        var run = DecoderBenchmark.Measure("tiny", model, 1, 8, 4, bandwidth);

        var config = TinyLlamaCheckpoint.GroupedQuery;
        long perLayer = 64 * 64 * 2 + 32 * 64 * 2 + 3 * 64 * 128 + 2 * 64;
        Assert.Equal(4 * (2 * perLayer + 64 + 128L * 64), run.WeightBytesPerToken);
        Assert.Equal(config.VocabSize * 64L * 2 + 2 * perLayer + 64, run.Parameters);
        Assert.True(
            run.PrefillTokensPerSecond > 0 && run.DecodeTokensPerSecond > 0 && run.GeneratorDecodeTokensPerSecond > 0
        );
        Assert.Equal(run.DecodeTokensPerSecond / (bandwidth / run.WeightBytesPerToken), run.FractionOfBound, 9);
    }
}
