namespace Clinical.Models.Scoring.Evaluation;

public sealed record Interval(double Estimate, double Lower, double Upper)
{
    public override string ToString() => FormattableString.Invariant($"{Estimate:0.000} ({Lower:0.000}–{Upper:0.000})");
}

public sealed record OperatingPoint(double Threshold, double Sensitivity, double Specificity, double Ppv, double Npv);

/// <summary>
/// Discrimination and calibration of scores against binary labels: AUROC (Mann–Whitney, ties halved),
/// AUPRC (average precision, step-wise as scikit-learn), Brier score, the confusion rates at a threshold,
/// and percentile bootstrap 95 % intervals (Efron and Tibshirani, 1993) over patients, with a fixed seed.
/// </summary>
public static class BinaryMetrics
{
    public static double Auroc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[scores.Count];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]]) j++;
            for (var k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2.0 + 1;
            i = j + 1;
        }
        double positives = labels.Count(l => l), negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        var rankSum = Enumerable.Range(0, scores.Count).Where(i => labels[i]).Sum(i => ranks[i]);
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    public static double Auprc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var positives = labels.Count(l => l);
        if (positives == 0) return double.NaN;
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        double truePositives = 0, seen = 0, area = 0, lastRecall = 0;
        for (var i = 0; i < order.Length; i++)
        {
            seen++;
            if (labels[order[i]]) truePositives++;
            if (i + 1 < order.Length && scores[order[i + 1]] == scores[order[i]]) continue;
            var recall = truePositives / positives;
            area += (recall - lastRecall) * (truePositives / seen);
            lastRecall = recall;
        }
        return area;
    }

    public static double Brier(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels) =>
        probabilities.Select((p, i) => Math.Pow(p - (labels[i] ? 1 : 0), 2)).Average();

    public static OperatingPoint At(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double threshold)
    {
        double tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            var flagged = scores[i] >= threshold;
            if (labels[i]) { if (flagged) tp++; else fn++; }
            else if (flagged) fp++;
            else tn++;
        }
        return new OperatingPoint(threshold, Ratio(tp, tp + fn), Ratio(tn, tn + fp), Ratio(tp, tp + fp), Ratio(tn, tn + fn));
    }

    /// <summary>The highest threshold whose sensitivity reaches the target (so specificity is as high as that allows).</summary>
    public static double ThresholdForSensitivity(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double sensitivity)
    {
        var positives = Enumerable.Range(0, scores.Count).Where(i => labels[i]).Select(i => scores[i]).OrderByDescending(s => s).ToArray();
        if (positives.Length == 0) return 0.5;
        var needed = (int)Math.Ceiling(sensitivity * positives.Length);
        return positives[Math.Clamp(needed, 1, positives.Length) - 1];
    }

    public static Interval Bootstrap(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, Func<IReadOnlyList<double>, IReadOnlyList<bool>, double> metric, int resamples = 1000, int seed = 20260630)
    {
        var estimate = metric(scores, labels);
        var random = new Random(seed);
        var values = new List<double>(resamples);
        var s = new double[scores.Count];
        var l = new bool[scores.Count];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < scores.Count; i++)
            {
                var pick = random.Next(scores.Count);
                s[i] = scores[pick];
                l[i] = labels[pick];
            }
            var value = metric(s, l);
            if (!double.IsNaN(value)) values.Add(value);
        }
        if (values.Count == 0) return new Interval(estimate, double.NaN, double.NaN);
        values.Sort();
        return new Interval(estimate, values[(int)(0.025 * (values.Count - 1))], values[(int)Math.Ceiling(0.975 * (values.Count - 1))]);
    }

    /// <summary>Paired percentile bootstrap of metric(a) − metric(b) on the same resampled patients.</summary>
    public static Interval PairedDifference(IReadOnlyList<double> a, IReadOnlyList<double> b, IReadOnlyList<bool> labels, Func<IReadOnlyList<double>, IReadOnlyList<bool>, double> metric, int resamples = 1000, int seed = 20260630)
    {
        var estimate = metric(a, labels) - metric(b, labels);
        var random = new Random(seed);
        var values = new List<double>(resamples);
        var sa = new double[a.Count];
        var sb = new double[a.Count];
        var l = new bool[a.Count];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < a.Count; i++)
            {
                var pick = random.Next(a.Count);
                sa[i] = a[pick];
                sb[i] = b[pick];
                l[i] = labels[pick];
            }
            var value = metric(sa, l) - metric(sb, l);
            if (!double.IsNaN(value)) values.Add(value);
        }
        if (values.Count == 0) return new Interval(estimate, double.NaN, double.NaN);
        values.Sort();
        return new Interval(estimate, values[(int)(0.025 * (values.Count - 1))], values[(int)Math.Ceiling(0.975 * (values.Count - 1))]);
    }

    private static double Ratio(double a, double b) => b == 0 ? double.NaN : a / b;
}
