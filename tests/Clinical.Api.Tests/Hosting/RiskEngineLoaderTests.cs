using Clinical.Api.Hosting;
using Clinical.Models.Runtime;
using Clinical.Tests;

namespace Clinical.Api.Tests.Hosting;

public sealed class RiskEngineLoaderTests
{
    private static readonly string NoteModel = FixtureFiles.PathOf("models", "hf-note-classifier");

    [Fact]
    public void Given_an_unknown_note_precision_When_the_engine_loads_Then_the_error_names_the_key_and_the_choices()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            RiskEngineLoader.Load(null, NoteModel, "cpu", notePrecision: "fp8")
        );

        Assert.StartsWith(RiskEngineLoader.NotePrecisionKey, error.Message, StringComparison.Ordinal);
        Assert.Contains(PrecisionNames.Accepted, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("int8", Precision.Int8)]
    [InlineData("auto", Precision.Fp32)]
    public void Given_a_note_precision_When_the_engine_loads_Then_the_note_model_runs_in_it(
        string configured,
        Precision expected
    )
    {
        using var engine = RiskEngineLoader.Load(null, NoteModel, "cpu", notePrecision: configured);

        Assert.NotNull(engine.Notes);
        var supported = CpuFeatures.Current.Supports(expected) ? expected : Precision.Fp32;
        Assert.Equal(supported, engine.Notes.Default!.Target.Precision);
    }

    [Theory]
    [InlineData(null, CpuMode.Latency)]
    [InlineData("latency", CpuMode.Latency)]
    [InlineData(" Throughput ", CpuMode.Throughput)]
    public void Given_a_cpu_mode_When_read_Then_latency_unless_throughput_is_asked(string? value, CpuMode expected)
    {
        Assert.Equal(expected, RiskEngineLoader.ParseCpuMode(value));
    }

    [Fact]
    public void Given_an_unknown_cpu_mode_When_read_Then_the_error_names_the_key_and_the_choices()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RiskEngineLoader.ParseCpuMode("fast"));

        Assert.StartsWith(RiskEngineLoader.CpuModeKey, error.Message, StringComparison.Ordinal);
        Assert.Contains("latency or throughput", error.Message, StringComparison.Ordinal);
    }
}
