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
    /// Percentile bootstrap of a statistic of the cases themselves, given as indices into the caller's per-case values
    /// (for a statistic that reads more than one score per case); the same resamples as <see cref="Bootstrap"/>.
    /// </summary>
    public static Interval BootstrapCases(
        int count,
        Func<IReadOnlyList<int>, double> statistic,
        int resamples = BootstrapResamples,
        int seed = BootstrapSeed,
        double level = 0.95
    ) =>
        Percentiles(
            statistic(Enumerable.Range(0, count).ToArray()),
            Resample(count, resamples, seed, statistic),
            level
        );

    /// <summary>
    /// Paired percentile bootstrap of first(cases) − second(cases), both taken on the same resampled cases (indices,
    /// as in <see cref="BootstrapCases"/>).
    /// </summary>
    public static Interval PairedCases(
        int count,
        Func<IReadOnlyList<int>, double> first,
        Func<IReadOnlyList<int>, double> second,
        int resamples = BootstrapResamples,
        int seed = BootstrapSeed,
        double level = 0.95
    )
    {
        var all = Enumerable.Range(0, count).ToArray();
        return Percentiles(
            first(all) - second(all),
            Resample(count, resamples, seed, pick => first(pick) - second(pick)),
            level
        );
    }

    /// <summary>
    /// For each subset of the cases, the paired percentile bootstrap of metric(subset) − metric(all cases): every
    /// resample draws from all cases, and the subset's metric is taken on the resampled cases that belong to it, so
    /// the two figures share each resample (the subset is part of the whole). Resamples where either is undefined are
    /// skipped for that subset.
    /// </summary>
    public static IReadOnlyList<Interval> SubsetDifferences(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> scores,
        IReadOnlyList<bool[]> subsets,
        Func<IReadOnlyList<int>, IReadOnlyList<double>, double> metric,
        int resamples = BootstrapResamples,
        int seed = BootstrapSeed,
        double level = 0.95
    )
    {
        Check(labels, scores);
        if (subsets.Any(s => s.Length != labels.Count))
            throw new ArgumentException($"Every subset must mark all {labels.Count} cases.", nameof(subsets));
        var overall = metric(labels, scores);
        var values = subsets.Select(_ => new List<double>(resamples)).ToArray();
        foreach (var pick in Picks(labels.Count, resamples, seed))
        {
            var whole = metric(Pick(labels, pick), Pick(scores, pick));
            for (var s = 0; s < subsets.Count; s++)
            {
                var member = subsets[s];
                var inside = Array.FindAll(pick, i => member[i]);
                var value =
                    inside.Length == 0 ? double.NaN : metric(Pick(labels, inside), Pick(scores, inside)) - whole;
                if (!double.IsNaN(value))
                    values[s].Add(value);
            }
        }
        return subsets
            .Select(
                (member, s) =>
                {
                    var inside = Enumerable.Range(0, labels.Count).Where(i => member[i]).ToArray();
                    var estimate =
                        inside.Length == 0 ? double.NaN : metric(Pick(labels, inside), Pick(scores, inside)) - overall;
                    return Percentiles(estimate, values[s], level);
                }
            )
            .ToList();
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
        var values = new List<double>(resamples);
        foreach (var pick in Picks(count, resamples, seed))
        {
            var value = statistic(pick);
            if (!double.IsNaN(value))
                values.Add(value);
        }
        return values;
    }

    /// <summary>The resamples' case indices; one buffer, refilled for each resample.</summary>
    private static IEnumerable<int[]> Picks(int count, int resamples, int seed)
    {
        var random = new Random(seed);
        var pick = new int[count];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < count; i++)
                pick[i] = random.Next(count);
            yield return pick;
        }
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
