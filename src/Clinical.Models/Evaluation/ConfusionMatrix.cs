using System.Text.Json.Serialization;

namespace Clinical.Models.Evaluation;

/// <summary>
/// Counts at one threshold: a case is called positive when its probability is at or above the threshold. The one
/// confusion-count type; every rate a report shows at a threshold is read from it.
/// </summary>
public sealed record ConfusionMatrix(
    [property: JsonPropertyName("tp")] int TruePositives,
    [property: JsonPropertyName("fp")] int FalsePositives,
    [property: JsonPropertyName("tn")] int TrueNegatives,
    [property: JsonPropertyName("fn")] int FalseNegatives
)
{
    [JsonIgnore]
    public double Sensitivity => Ratio(TruePositives, TruePositives + FalseNegatives);

    [JsonIgnore]
    public double Specificity => Ratio(TrueNegatives, TrueNegatives + FalsePositives);

    [JsonIgnore]
    public double PositivePredictiveValue => Ratio(TruePositives, TruePositives + FalsePositives);

    [JsonIgnore]
    public double NegativePredictiveValue => Ratio(TrueNegatives, TrueNegatives + FalseNegatives);

    [JsonIgnore]
    public double F1 => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives);

    private static double Ratio(int numerator, int denominator) =>
        denominator == 0 ? double.NaN : (double)numerator / denominator;
}

/// <summary>
/// The rates at one threshold as the cohort evaluation reports them (threshold, sensitivity, specificity, ppv, npv);
/// the counts behind them are <see cref="Counts"/>.
/// </summary>
public sealed record OperatingPoint(double Threshold, [property: JsonIgnore] ConfusionMatrix Counts)
{
    public double Sensitivity => Counts.Sensitivity;

    public double Specificity => Counts.Specificity;

    public double Ppv => Counts.PositivePredictiveValue;

    public double Npv => Counts.NegativePredictiveValue;
}
