namespace Clinical.Models.Evaluation;

public sealed record Interval(double Estimate, double Lower, double Upper)
{
    public override string ToString() => FormattableString.Invariant($"{Estimate:0.000} ({Lower:0.000}–{Upper:0.000})");
}

public sealed record OperatingPoint(double Threshold, double Sensitivity, double Specificity, double Ppv, double Npv);

/// <summary>
/// Cohort statistics over patients with boolean labels: AUROC, AUPRC and Brier (computed by
/// <see cref="BinaryMetrics"/>), the confusion rates at a threshold, the threshold for a target sensitivity, and
/// percentile bootstrap 95 % intervals (Efron and Tibshirani, 1993), plain and paired, with a fixed seed.
/// </summary>
public static class ResampledMetrics
{
    public static double Auroc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels) =>
        BinaryMetrics.Auroc(Ones(labels), scores);

    public static double Auprc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels) =>
        BinaryMetrics.AveragePrecision(Ones(labels), scores);

    public static double Brier(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels) =>
        BinaryMetrics.Brier(Ones(labels), probabilities);

    private static int[] Ones(IReadOnlyList<bool> labels) => labels.Select(l => l ? 1 : 0).ToArray();

    public static OperatingPoint At(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double threshold)
    {
        double tp = 0,
            fp = 0,
            tn = 0,
            fn = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            var flagged = scores[i] >= threshold;
            if (labels[i])
            {
                if (flagged)
                    tp++;
                else
                    fn++;
            }
            else if (flagged)
                fp++;
            else
                tn++;
        }
        return new OperatingPoint(
            threshold,
            Ratio(tp, tp + fn),
            Ratio(tn, tn + fp),
            Ratio(tp, tp + fp),
            Ratio(tn, tn + fn)
        );
    }

    /// <summary>
    /// The highest threshold whose sensitivity reaches the target (so specificity is as high as that allows).
    /// </summary>
    public static double ThresholdForSensitivity(
        IReadOnlyList<double> scores,
        IReadOnlyList<bool> labels,
        double sensitivity
    )
    {
        var positives = Enumerable
            .Range(0, scores.Count)
            .Where(i => labels[i])
            .Select(i => scores[i])
            .OrderByDescending(s => s)
            .ToArray();
        if (positives.Length == 0)
            return 0.5;
        var needed = (int)Math.Ceiling(sensitivity * positives.Length);
        return positives[Math.Clamp(needed, 1, positives.Length) - 1];
    }

    public static Interval Bootstrap(
        IReadOnlyList<double> scores,
        IReadOnlyList<bool> labels,
        Func<IReadOnlyList<double>, IReadOnlyList<bool>, double> metric,
        int resamples = 1000,
        int seed = 20260630
    )
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
            if (!double.IsNaN(value))
                values.Add(value);
        }
        if (values.Count == 0)
            return new Interval(estimate, double.NaN, double.NaN);
        values.Sort();
        return new Interval(
            estimate,
            values[(int)(0.025 * (values.Count - 1))],
            values[(int)Math.Ceiling(0.975 * (values.Count - 1))]
        );
    }

    /// <summary>Paired percentile bootstrap of metric(a) − metric(b) on the same resampled patients.</summary>
    public static Interval PairedDifference(
        IReadOnlyList<double> a,
        IReadOnlyList<double> b,
        IReadOnlyList<bool> labels,
        Func<IReadOnlyList<double>, IReadOnlyList<bool>, double> metric,
        int resamples = 1000,
        int seed = 20260630
    )
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
            if (!double.IsNaN(value))
                values.Add(value);
        }
        if (values.Count == 0)
            return new Interval(estimate, double.NaN, double.NaN);
        values.Sort();
        return new Interval(
            estimate,
            values[(int)(0.025 * (values.Count - 1))],
            values[(int)Math.Ceiling(0.975 * (values.Count - 1))]
        );
    }

    private static double Ratio(double a, double b) => b == 0 ? double.NaN : a / b;
}
