using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Tests.Text;
using Clinical.Models.Training;
using TorchSharp;

namespace Clinical.Models.Tests.Encoders.Roberta;

/// <summary>
/// bf16 and int8 inference against the fp32 reference on a tiny random checkpoint. Tolerances: logits within 0.06
/// and probabilities within 0.02 (the product's faithfulness bound); measured on this checkpoint: bf16 0.019 and
/// 0.006, int8 0.020 and 0.007. The CPU is injected so that both paths run on any machine (libtorch emulates bf16
/// where the CPU lacks it) and the fallback can be checked on a machine that has the instructions.
/// </summary>
public sealed class ReducedPrecisionTests
{
    private const double LogitTolerance = 0.06;
    private const double ProbabilityTolerance = 0.02;

    private static readonly CpuFeatures Capable = new("test CPU with bf16 and VNNI", Bf16: true, Int8Dot: true);
    private static readonly CpuFeatures Plain = new("test CPU without them", Bf16: false, Int8Dot: false);

    private static readonly string[] Notes =
    [
        ClinicalTexts.Corpus[0],
        "Niega disnea.",
        ClinicalTexts.Tricky,
        .. ClinicalTexts.Corpus.Skip(1).Take(5),
    ];

    private static (float[] Logits, double[] Probabilities, ComputeTarget Target) Scores(
        string directory,
        ComputeTarget target
    )
    {
        using var classifier = NoteClassifier.Load(directory, target);
        var scores = classifier.Classify(Notes);
        return (
            scores.SelectMany(s => s.Logits).ToArray(),
            scores.Select(s => s.Probability).ToArray(),
            classifier.Target
        );
    }

    private static double MaxDifference<T>(IEnumerable<T> a, IEnumerable<T> b, Func<T, T, double> difference) =>
        a.Zip(b, difference).Max();

    [Theory]
    [InlineData(Precision.Bf16)]
    [InlineData(Precision.Int8)]
    public void Given_tiny_checkpoint_When_classified_in_reduced_precision_Then_close_to_fp32(Precision precision)
    {
        using var tiny = new TinyRoberta();

        var reference = Scores(tiny.Directory, ComputeTarget.ForInference("cpu", Precision.Fp32, Capable));
        var reduced = Scores(tiny.Directory, ComputeTarget.ForInference("cpu", precision, Capable));

        Assert.Equal(precision, reduced.Target.Precision);
        Assert.NotEqual(reference.Logits, reduced.Logits);
        Assert.InRange(MaxDifference(reference.Logits, reduced.Logits, (a, b) => Math.Abs(a - b)), 0, LogitTolerance);
        Assert.InRange(
            MaxDifference(reference.Probabilities, reduced.Probabilities, (a, b) => Math.Abs(a - b)),
            0,
            ProbabilityTolerance
        );
    }

    [Theory]
    [InlineData(Precision.Bf16)]
    [InlineData(Precision.Int8)]
    public void Given_cpu_without_the_instructions_When_reduced_precision_asked_Then_fp32_runs_with_reason(
        Precision precision
    )
    {
        using var tiny = new TinyRoberta();

        var target = ComputeTarget.ForInference("cpu", precision, Plain);
        var fallback = Scores(tiny.Directory, target);
        var reference = Scores(tiny.Directory, ComputeTarget.ForInference("cpu", Precision.Fp32, Plain));

        Assert.Equal(Precision.Fp32, fallback.Target.Precision);
        Assert.Equal(torch.ScalarType.Float32, fallback.Target.DType);
        Assert.Contains(precision.Name(), target.PrecisionNote, StringComparison.Ordinal);
        Assert.Contains("running fp32", target.PrecisionNote, StringComparison.Ordinal);
        Assert.Equal(reference.Logits, fallback.Logits);
    }

    [Fact]
    public void Given_card_validated_at_int8_When_precision_left_to_model_Then_int8_runs_unless_asked_otherwise()
    {
        using var tiny = new TinyRoberta();
        ModelCard.WritePrecision(
            tiny.Directory,
            new PrecisionValidation("int8", 0.9, "test notes", 8, Capable.Describe(), [])
        );

        var auto = Scores(tiny.Directory, ComputeTarget.ForInference("cpu", null, Capable));
        var asked = Scores(tiny.Directory, ComputeTarget.ForInference("cpu", Precision.Fp32, Capable));

        Assert.Equal(Precision.Int8, ModelCard.ReadValidatedPrecision(tiny.Directory));
        Assert.Equal(Precision.Int8, auto.Target.Precision);
        Assert.Equal(Precision.Fp32, asked.Target.Precision);
    }

    [Fact]
    public void Given_precision_option_When_parsed_Then_auto_defers_to_model_and_unknown_names_are_refused()
    {
        Assert.Null(PrecisionNames.ParseOption("auto"));
        Assert.Null(PrecisionNames.ParseOption(null));
        Assert.Equal(Precision.Bf16, PrecisionNames.ParseOption("BF16"));
        var error = Assert.Throws<FormatException>(() => PrecisionNames.ParseOption("fp8"));
        Assert.Contains("fp32, bf16 or int8", error.Message, StringComparison.Ordinal);
    }
}
