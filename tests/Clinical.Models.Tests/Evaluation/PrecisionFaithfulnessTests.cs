using Clinical.Models.Evaluation;
using Clinical.Models.Runtime;
using Clinical.Models.Tests.Encoders.Roberta;
using Clinical.Models.Tests.Text;
using Clinical.Models.Training;

namespace Clinical.Models.Tests.Evaluation;

public sealed class PrecisionFaithfulnessTests
{
    private static readonly CpuFeatures Capable = new("test CPU with bf16 and VNNI", Bf16: true, Int8Dot: true);
    private static readonly CpuFeatures Plain = new("test CPU without them", Bf16: false, Int8Dot: false);

    private static List<LabelledNote> Notes() =>
        ClinicalTexts.Corpus.Take(8).Select((text, i) => new LabelledNote($"n{i}", text, i % 2)).ToList();

    [Fact]
    public void Given_tiny_checkpoint_When_checked_Then_bf16_and_int8_are_compared_with_fp32_and_recorded()
    {
        using var tiny = new TinyRoberta();
        const string card = """{"model": "tiny", "data_sources": ["Armengol-Estapé J + otros"]}""";
        File.WriteAllText(tiny.PathOf(ModelCard.FileName), card);

        var validation = PrecisionFaithfulness.Check(tiny.Directory, Notes(), "test notes", Precision.Fp32, Capable);
        ModelCard.WritePrecision(tiny.Directory, validation);

        Assert.Equal(["bf16", "int8"], validation.Checks.Select(c => c.Precision));
        Assert.All(
            validation.Checks,
            c =>
            {
                Assert.InRange(c.MaxProbabilityDifference, 1e-9, PrecisionValidation.MaxProbabilityDifference);
                Assert.Equal(c.Auroc - validation.ReferenceAuroc, c.AurocDifference, 12);
            }
        );
        Assert.Equal(Precision.Fp32, ModelCard.ReadValidatedPrecision(tiny.Directory));
        var written = File.ReadAllText(tiny.PathOf(ModelCard.FileName));
        Assert.Contains("Armengol-Estapé J + otros", written, StringComparison.Ordinal);
        Assert.Contains("\"max_probability_difference\"", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_cpu_without_bf16_When_bf16_is_to_be_recorded_Then_it_is_refused_naming_the_cpu()
    {
        using var tiny = new TinyRoberta();

        var error = Assert.Throws<InvalidOperationException>(() =>
            PrecisionFaithfulness.Check(tiny.Directory, Notes(), "test notes", Precision.Bf16, Plain)
        );

        Assert.Contains("bf16 cannot be recorded", error.Message, StringComparison.Ordinal);
        Assert.Contains(Plain.Model, error.Message, StringComparison.Ordinal);
    }
}
