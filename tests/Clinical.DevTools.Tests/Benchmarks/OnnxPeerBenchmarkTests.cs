using Clinical.DevTools.Benchmarks;

namespace Clinical.DevTools.Tests.Benchmarks;

public sealed class OnnxPeerBenchmarkTests
{
    [Fact]
    public void Given_small_shape_When_peer_benchmark_runs_Then_every_engine_has_each_round_and_computes_the_same()
    {
        var lines = new List<string>();
        var options = new OnnxPeerOptions
        {
            Layers = 1,
            Hidden = 64,
            SequenceLength = 16,
            BatchSize = 2,
            Rounds = 3,
        };

        var result = OnnxPeerBenchmark.Run(options, lines.Add);

        Assert.Equal(
            ["ours-fp32", "ours-bf16", "ours-int8", "onnxruntime-fp32", "onnxruntime-int8"],
            result.Engines.Select(e => e.Engine)
        );
        Assert.All(result.Engines, e => Assert.Equal(3, e.NotesPerSecond.Count));
        Assert.All(result.Engines, e => Assert.True(e.MedianNotesPerSecond > 0));
        Assert.Equal(1.0, result.Engines.Single(e => e.Engine == "onnxruntime-fp32").RelativeToOnnxRuntimeFp32);
        Assert.InRange(
            result.Engines.Single(e => e.Engine == "onnxruntime-fp32").MaxLogitDifferenceFromOursFp32,
            0,
            1e-4
        );
        Assert.InRange(
            result.Engines.Single(e => e.Engine == "onnxruntime-int8").MaxLogitDifferenceFromOursFp32,
            0,
            0.06
        );
        Assert.Equal(3, lines.Count);
        Assert.StartsWith("round 2", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Given_hidden_size_not_a_multiple_of_64_When_configured_Then_the_error_names_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new OnnxPeerOptions { Hidden = 100 }.EncoderConfig());

        Assert.Contains("100", error.Message, StringComparison.Ordinal);
    }
}
