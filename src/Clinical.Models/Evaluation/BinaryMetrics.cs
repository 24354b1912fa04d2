using System.Text.Json.Serialization;

namespace Clinical.Models.Evaluation;

/// <summary>
/// Counts at one threshold: a case is called positive when its probability is at or above the threshold.
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
/// Binary classification metrics over labels (0/1) and positive-class probabilities, with the
/// definitions scikit-learn uses: roc_auc_score (ties count one half), average_precision_score
/// (Σ (Rₙ − Rₙ₋₁) Pₙ over distinct thresholds), brier_score_loss, and the expected calibration
/// error of Guo et al. (2017) over equal-width bins.
/// </summary>
public static class BinaryMetrics
{
    /// <summary>
    /// Area under the ROC curve: the probability that a random positive outscores a random negative (Mann–Whitney U /
    /// n₊n₋).
    /// </summary>
    public static double Auroc(IReadOnlyList<int> labels, IReadOnlyList<double> scores)
    {
        Check(labels, scores);
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positiveRankSum = 0;
        var positives = 0;
        for (var start = 0; start < order.Length; )
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
                end++;
            var midRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]] == 1)
                {
                    positiveRankSum += midRank;
                    positives++;
                }
            }
            start = end + 1;
        }
        var negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
            return double.NaN;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>Average precision: precision at each distinct threshold weighted by the recall it adds.</summary>
    public static double AveragePrecision(IReadOnlyList<int> labels, IReadOnlyList<double> scores)
    {
        Check(labels, scores);
        var positives = labels.Count(l => l == 1);
        if (positives == 0)
            return double.NaN;
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        double ap = 0,
            previousRecall = 0;
        int truePositives = 0,
            called = 0;
        for (var start = 0; start < order.Length; )
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
                end++;
            for (var k = start; k <= end; k++)
            {
                called++;
                truePositives += labels[order[k]];
            }
            var recall = (double)truePositives / positives;
            ap += (recall - previousRecall) * truePositives / called;
            previousRecall = recall;
            start = end + 1;
        }
        return ap;
    }

    public static ConfusionMatrix Confusion(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> probabilities,
        double threshold
    )
    {
        Check(labels, probabilities);
        int tp = 0,
            fp = 0,
            tn = 0,
            fn = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var called = probabilities[i] >= threshold;
            if (labels[i] == 1)
            {
                if (called)
                    tp++;
                else
                    fn++;
            }
            else
            {
                if (called)
                    fp++;
                else
                    tn++;
            }
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /// <summary>Mean squared difference between the probability and the 0/1 outcome.</summary>
    public static double Brier(IReadOnlyList<int> labels, IReadOnlyList<double> probabilities)
    {
        Check(labels, probabilities);
        return labels.Select((y, i) => (probabilities[i] - y) * (probabilities[i] - y)).Average();
    }

    /// <summary>
    /// Σ_b (n_b / N) · |mean outcome_b − mean probability_b| over equal-width bins [0, 0.1), …, [0.9, 1].
    /// </summary>
    public static double ExpectedCalibrationError(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> probabilities,
        int bins = 10
    )
    {
        Check(labels, probabilities);
        return CalibrationBins(labels, probabilities, bins)
            .Where(b => b.Count > 0)
            .Sum(b => (double)b.Count / labels.Count * Math.Abs(b.ObservedRate - b.MeanProbability));
    }

    /// <summary>The reliability diagram's bins: count, mean probability and observed positive rate.</summary>
    public static IReadOnlyList<CalibrationBin> CalibrationBins(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> probabilities,
        int bins = 10
    )
    {
        Check(labels, probabilities);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var members = Enumerable.Range(0, bins).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < labels.Count; i++)
            members[Math.Clamp((int)Math.Floor(probabilities[i] * bins), 0, bins - 1)].Add(i);
        return members
            .Select(
                (m, b) =>
                    new CalibrationBin(
                        (double)b / bins,
                        (double)(b + 1) / bins,
                        m.Count,
                        m.Count == 0 ? double.NaN : m.Average(i => probabilities[i]),
                        m.Count == 0 ? double.NaN : m.Average(i => (double)labels[i])
                    )
            )
            .ToList();
    }

    /// <summary>
    /// Percentile bootstrap interval of the AUROC: cases resampled with replacement from a seeded generator; resamples
    /// with one class only are skipped.
    /// </summary>
    public static (double Low, double High) BootstrapAurocInterval(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> scores,
        int resamples = 1000,
        long seed = 20260630,
        double level = 0.95
    )
    {
        Check(labels, scores);
        var random = new Random(unchecked((int)seed));
        var values = new List<double>(resamples);
        var sampleLabels = new int[labels.Count];
        var sampleScores = new double[labels.Count];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < labels.Count; i++)
            {
                var pick = random.Next(labels.Count);
                sampleLabels[i] = labels[pick];
                sampleScores[i] = scores[pick];
            }
            var auc = Auroc(sampleLabels, sampleScores);
            if (!double.IsNaN(auc))
                values.Add(auc);
        }
        if (values.Count == 0)
            return (double.NaN, double.NaN);
        values.Sort();
        return (Percentile(values, (1 - level) / 2), Percentile(values, 1 - (1 - level) / 2));
    }

    /// <summary>Linear interpolation between closest ranks (numpy's default percentile).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /// <summary>
    /// ROC points (false-positive rate, true-positive rate) from the highest threshold down, starting at (0, 0).
    /// </summary>
    public static IReadOnlyList<(double X, double Y)> RocCurve(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> scores
    ) =>
        Sweep(
            labels,
            scores,
            (tp, fp, p, n) => (n == 0 ? 0 : (double)fp / n, p == 0 ? 0 : (double)tp / p),
            start: (0, 0)
        );

    /// <summary>Precision–recall points (recall, precision) from the highest threshold down.</summary>
    public static IReadOnlyList<(double X, double Y)> PrecisionRecallCurve(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> scores
    ) => Sweep(labels, scores, (tp, fp, p, _) => (p == 0 ? 0 : (double)tp / p, (double)tp / (tp + fp)), start: (0, 1));

    private static List<(double X, double Y)> Sweep(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> scores,
        Func<int, int, int, int, (double, double)> point,
        (double, double) start
    )
    {
        Check(labels, scores);
        var positives = labels.Count(l => l == 1);
        var negatives = labels.Count - positives;
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var points = new List<(double, double)> { start };
        int tp = 0,
            fp = 0;
        for (var start_ = 0; start_ < order.Length; )
        {
            var end = start_;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start_]])
                end++;
            for (var k = start_; k <= end; k++)
            {
                if (labels[order[k]] == 1)
                    tp++;
                else
                    fp++;
            }
            points.Add(point(tp, fp, positives, negatives));
            start_ = end + 1;
        }
        return points;
    }

    private static void Check(IReadOnlyList<int> labels, IReadOnlyList<double> scores)
    {
        if (labels.Count != scores.Count)
            throw new ArgumentException($"{labels.Count} labels but {scores.Count} scores.", nameof(scores));
        if (labels.Count == 0)
            throw new ArgumentException("Metrics need at least one case.", nameof(labels));
        if (labels.Any(l => l is not (0 or 1)))
            throw new ArgumentException("Labels must be 0 or 1.", nameof(labels));
    }
}

public sealed record CalibrationBin(double Lower, double Upper, int Count, double MeanProbability, double ObservedRate);
