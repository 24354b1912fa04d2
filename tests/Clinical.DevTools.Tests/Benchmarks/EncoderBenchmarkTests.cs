using System.Text.Json;
using Clinical.DevTools.Benchmarks;
using Clinical.Models.Encoders.Roberta;
using Xunit.Abstractions;

namespace Clinical.DevTools.Tests.Benchmarks;

public sealed class EncoderBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public void Given_base_encoder_at_batch_8_and_512_tokens_When_flops_are_counted_Then_they_are_the_matmul_total()
    {
        var config = new EncoderBenchmarkOptions().Config;

        var flops = EncoderBenchmark.MatmulFlops(config, batch: 8, length: 512);

        // 12 × (19,327,352,832 projections + 38,654,705,664 feed-forward + 6,442,450,944 attention) + 9,461,760 head
        Assert.Equal(773_103_575_040d, flops);
    }

    [Fact]
    public void Given_tiny_encoder_When_benchmarked_Then_throughput_and_ceiling_fraction_are_measured()
    {
        var options = new EncoderBenchmarkOptions
        {
            Device = "cpu",
            BatchSize = 2,
            SequenceLength = 64,
            Iterations = 2,
            CeilingMatrixSize = 256,
            CeilingRepeats = 2,
            Config = new RobertaConfig
            {
                VocabSize = 100,
                HiddenSize = 32,
                NumHiddenLayers = 2,
                NumAttentionHeads = 4,
                IntermediateSize = 64,
                MaxPositionEmbeddings = 130,
                PadTokenId = 1,
            },
        };

        var result = EncoderBenchmark.Run(options);

        Assert.True(result.NotesPerSecond > 0);
        Assert.True(result.CeilingGflops > 0);
        Assert.Equal(result.AchievedGflops / result.CeilingGflops, result.FractionOfCeiling, 1e-12);
        Assert.Equal(EncoderBenchmark.MatmulFlops(options.Config, 2, 64) / 1e9, result.GflopPerBatch, 1e-12);
    }

    /// <summary>
    /// The real base-size run (minutes on 2 cores): CLINICAL_BENCH=1 dotnet test --filter Base_encoder_benchmark.
    /// </summary>
    [BenchmarkFact]
    public void Base_encoder_benchmark_reports_notes_per_second_and_fraction_of_matmul_ceiling()
    {
        foreach (var batch in new[] { 8, 16, 32 })
        {
            var result = EncoderBenchmark.Run(new EncoderBenchmarkOptions { BatchSize = batch, Iterations = 2 });
            var json = JsonSerializer.Serialize(result);
            output.WriteLine(json);
            File.AppendAllText(Path.Combine(Path.GetTempPath(), "encoder-benchmark.jsonl"), json + Environment.NewLine);
            Assert.True(result.FractionOfCeiling > 0);
        }
    }
}

/// <summary>
/// A fact that runs only when CLINICAL_BENCH=1, and otherwise reports itself skipped with the reason.
/// </summary>
internal sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CLINICAL_BENCH") != "1")
            Skip = "Benchmark: set CLINICAL_BENCH=1 to run the base-size encoder (minutes on CPU).";
    }
}
