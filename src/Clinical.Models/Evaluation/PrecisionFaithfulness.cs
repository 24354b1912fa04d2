using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Training;

namespace Clinical.Models.Evaluation;

/// <summary>
/// Whether a note classifier scores the same in bf16 and int8 as in fp32 on labelled notes: AUROC within
/// <see cref="PrecisionValidation.MaxAurocDifference"/> of fp32's and no calibrated probability more than
/// <see cref="PrecisionValidation.MaxProbabilityDifference"/> from its fp32 value. A precision this CPU cannot run
/// natively is not checked (it would run fp32).
/// </summary>
public static class PrecisionFaithfulness
{
    public static PrecisionValidation Check(
        string modelFolder,
        IReadOnlyList<LabelledNote> notes,
        string dataDescription,
        Precision validated = Precision.Fp32,
        CpuFeatures? cpu = null
    )
    {
        ArgumentNullException.ThrowIfNull(notes);
        cpu ??= CpuFeatures.Current;
        var labels = notes.Select(n => n.Label).ToList();
        var texts = notes.Select(n => n.Text).ToList();
        var reference = Probabilities(modelFolder, ComputeTarget.ForInference("cpu", Precision.Fp32, cpu), texts);
        var referenceAuroc = BinaryMetrics.Auroc(labels, reference);
        var checks = new List<PrecisionCheck>();
        foreach (var precision in new[] { Precision.Bf16, Precision.Int8 })
        {
            var target = ComputeTarget.ForInference("cpu", precision, cpu);
            if (target.Precision != precision)
                continue;
            var probabilities = Probabilities(modelFolder, target, texts);
            var auroc = BinaryMetrics.Auroc(labels, probabilities);
            var largest = reference.Zip(probabilities, (a, b) => Math.Abs(a - b)).Max();
            checks.Add(
                new PrecisionCheck(
                    precision.Name(),
                    auroc,
                    auroc - referenceAuroc,
                    largest,
                    Math.Abs(auroc - referenceAuroc) <= PrecisionValidation.MaxAurocDifference
                        && largest <= PrecisionValidation.MaxProbabilityDifference
                )
            );
        }
        if (validated != Precision.Fp32 && !checks.Any(c => c.Precision == validated.Name() && c.Faithful))
            throw new InvalidOperationException(
                $"{validated.Name()} cannot be recorded as validated: it was not faithful to fp32 on "
                    + $"{dataDescription} on this CPU ({cpu.Describe()})."
            );
        return new PrecisionValidation(
            validated.Name(),
            referenceAuroc,
            dataDescription,
            notes.Count,
            cpu.Describe(),
            checks
        );
    }

    private static List<double> Probabilities(string modelFolder, ComputeTarget target, List<string> texts)
    {
        using var classifier = NoteClassifier.Load(modelFolder, target);
        return classifier.Classify(texts).Select(s => s.Probability).ToList();
    }
}
