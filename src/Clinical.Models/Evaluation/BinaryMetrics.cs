namespace Clinical.Models.Evaluation;

/// <summary>
/// The one metrics surface: binary classification metrics over labels (0/1) and positive-class scores, labels
/// first as scikit-learn orders them, with its definitions: roc_auc_score (ties count one half),
/// average_precision_score (Σ (Rₙ − Rₙ₋₁) Pₙ over distinct thresholds), brier_score_loss, and the expected
/// calibration error of Guo et al. (2017) over equal-width bins; the counts and thresholds at a target sensitivity
/// or specificity; and percentile bootstrap intervals (BinaryMetrics.Bootstrap.cs).
/// </summary>
public static partial class BinaryMetrics
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

    /// <summary>The counts at a threshold with the rates a report shows.</summary>
    public static OperatingPoint At(IReadOnlyList<int> labels, IReadOnlyList<double> scores, double threshold) =>
        new(threshold, Confusion(labels, scores, threshold));

    /// <summary>
    /// The highest threshold whose sensitivity reaches the target (so specificity is as high as that allows): the
    /// score of the ⌈target · positives⌉-th highest-scoring positive; 0.5 when there are no positives.
    /// </summary>
    public static double ThresholdForSensitivity(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> scores,
        double sensitivity
    )
    {
        Check(labels, scores);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sensitivity, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sensitivity, 1);
        var positives = scores.Where((_, i) => labels[i] == 1).OrderByDescending(s => s).ToList();
        if (positives.Count == 0)
            return 0.5;
        return positives[Math.Max(AtLeast(sensitivity, positives.Count), 1) - 1];
    }

    /// <summary>
    /// Sensitivity at the threshold that keeps the target share of negatives at or below it (scores above the
    /// ⌈target · negatives⌉-th lowest negative count as called); undefined with one class only.
    /// </summary>
    public static double SensitivityAtSpecificity(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> scores,
        double specificity
    )
    {
        Check(labels, scores);
        var negatives = scores.Where((_, i) => labels[i] == 0).Order().ToArray();
        var positives = scores.Where((_, i) => labels[i] == 1).ToArray();
        if (negatives.Length == 0 || positives.Length == 0)
            return double.NaN;
        var cut = negatives[Math.Clamp(AtLeast(specificity, negatives.Length), 1, negatives.Length) - 1];
        return positives.Count(p => p > cut) / (double)positives.Length;
    }

    /// <summary>
    /// ⌈share · n⌉, the fewest cases that make up the share, read through floating-point noise: 0.9 · 10 is
    /// 9.000000000000002 in doubles and must still ask for 9 cases, not 10.
    /// </summary>
    private static int AtLeast(double share, int n) => (int)Math.Ceiling(share * n - 1e-9);

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
