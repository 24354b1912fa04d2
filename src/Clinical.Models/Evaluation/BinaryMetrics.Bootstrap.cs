namespace Clinical.Models.Evaluation;

/// <summary>An estimate with its interval, printed as "0.912 (0.880–0.940)".</summary>
public sealed record Interval(double Estimate, double Lower, double Upper)
{
    public override string ToString() => FormattableString.Invariant($"{Estimate:0.000} ({Lower:0.000}–{Upper:0.000})");
}

public static partial class BinaryMetrics
{
    public const int BootstrapResamples = 1000;
    public const int BootstrapSeed = 20260630;

    /// <summary>
    /// Percentile bootstrap interval (Efron and Tibshirani, 1993, ch. 13) of a metric: cases resampled with replacement
    /// from a seeded generator, resamples where the metric is undefined (one class only) skipped, and the bounds taken
    /// with <see cref="Percentile"/>. Every interval this product reports follows this one rule.
    /// </summary>
    public static Interval Bootstrap(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> scores,
        Func<IReadOnlyList<int>, IReadOnlyList<double>, double> metric,
        int resamples = BootstrapResamples,
        int seed = BootstrapSeed,
        double level = 0.95
    ) =>
        Percentiles(
            metric(labels, scores),
            Resample(labels.Count, resamples, seed, pick => metric(Pick(labels, pick), Pick(scores, pick))),
            level
        );

    /// <summary>
    /// Paired percentile bootstrap of metric(a) − metric(b): both scores resampled on the same cases each time.
    /// </summary>
    public static Interval PairedDifference(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> a,
        IReadOnlyList<double> b,
        Func<IReadOnlyList<int>, IReadOnlyList<double>, double> metric,
        int resamples = BootstrapResamples,
        int seed = BootstrapSeed,
        double level = 0.95
    )
    {
        if (a.Count != labels.Count || b.Count != labels.Count)
            throw new ArgumentException($"{labels.Count} labels but {a.Count} and {b.Count} scores.", nameof(b));
        return Percentiles(
            metric(labels, a) - metric(labels, b),
            Resample(
                labels.Count,
                resamples,
                seed,
                pick =>
                {
                    var sample = Pick(labels, pick);
                    return metric(sample, Pick(a, pick)) - metric(sample, Pick(b, pick));
                }
            ),
            level
        );
    }

    /// <summary>
    /// Linear interpolation between closest ranks: numpy.percentile's default (method "linear", Hyndman and Fan's
    /// type 7).
    /// </summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /// <summary>The statistic on each resample; a resample draws Count indices in order from one generator.</summary>
    private static List<double> Resample(int count, int resamples, int seed, Func<int[], double> statistic)
    {
        var random = new Random(seed);
        var values = new List<double>(resamples);
        var pick = new int[count];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < count; i++)
                pick[i] = random.Next(count);
            var value = statistic(pick);
            if (!double.IsNaN(value))
                values.Add(value);
        }
        return values;
    }

    private static T[] Pick<T>(IReadOnlyList<T> values, int[] pick) => Array.ConvertAll(pick, i => values[i]);

    private static Interval Percentiles(double estimate, List<double> values, double level)
    {
        if (values.Count == 0)
            return new Interval(estimate, double.NaN, double.NaN);
        values.Sort();
        var tail = (1 - level) / 2;
        return new Interval(estimate, Percentile(values, tail), Percentile(values, 1 - tail));
    }
}
