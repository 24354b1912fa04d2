using System.Text.Json.Serialization;

namespace Clinical.Models.Evaluation;

/// <summary>Everything `evaluate` reports for one model (or baseline) on one labelled set.</summary>
public sealed record EvaluationMetrics(
    [property: JsonPropertyName("n")] int Count,
    [property: JsonPropertyName("positives")] int Positives,
    [property: JsonPropertyName("auroc")] double Auroc,
    [property: JsonPropertyName("auroc_ci95")] double[] AurocInterval,
    [property: JsonPropertyName("auprc")] double Auprc,
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("sensitivity")] double Sensitivity,
    [property: JsonPropertyName("specificity")] double Specificity,
    [property: JsonPropertyName("ppv")] double Ppv,
    [property: JsonPropertyName("npv")] double Npv,
    [property: JsonPropertyName("f1")] double F1,
    [property: JsonPropertyName("brier")] double Brier,
    [property: JsonPropertyName("ece")] double Ece,
    [property: JsonPropertyName("confusion")] ConfusionMatrix Confusion
)
{
    public static EvaluationMetrics Compute(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> probabilities,
        double threshold,
        int bootstrapSeed = BinaryMetrics.BootstrapSeed
    )
    {
        var confusion = BinaryMetrics.Confusion(labels, probabilities, threshold);
        var auroc = BinaryMetrics.Bootstrap(labels, probabilities, BinaryMetrics.Auroc, seed: bootstrapSeed);
        return new EvaluationMetrics(
            labels.Count,
            labels.Count(l => l == 1),
            auroc.Estimate,
            [auroc.Lower, auroc.Upper],
            BinaryMetrics.AveragePrecision(labels, probabilities),
            threshold,
            confusion.Sensitivity,
            confusion.Specificity,
            confusion.PositivePredictiveValue,
            confusion.NegativePredictiveValue,
            confusion.F1,
            BinaryMetrics.Brier(labels, probabilities),
            BinaryMetrics.ExpectedCalibrationError(labels, probabilities),
            confusion
        );
    }
}
