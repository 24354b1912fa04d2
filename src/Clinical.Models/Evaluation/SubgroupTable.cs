using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace Clinical.Models.Evaluation;

/// <summary>95 % intervals of a subgroup's figures as [lower, upper]; the gap's is null for the overall row.</summary>
public sealed record SubgroupIntervals(
    double[] Sensitivity,
    double[] Specificity,
    double[] Ppv,
    double[] Auroc,
    double[]? SensitivityGap
);

/// <summary>
/// One subgroup's figures at the operating threshold. SensitivityGap is the subgroup's sensitivity minus the overall
/// one. Ci95 is null when the subgroup has fewer positives or negatives than the table's minimum.
/// </summary>
public sealed record SubgroupRow(
    string Dimension,
    string Group,
    int Cases,
    int Positives,
    double Sensitivity,
    double Specificity,
    double Ppv,
    double Auroc,
    double SensitivityGap,
    SubgroupIntervals? Ci95,
    bool Warning
)
{
    [JsonIgnore]
    public string Label => Dimension == "all" ? "all" : $"{Dimension} {Group}";
}

/// <summary>
/// Sensitivity, specificity, PPV and AUROC by subgroup (sex, age band, note language), with a warning where a
/// subgroup's sensitivity falls more than <see cref="WarningGap"/> below the overall figure and the paired 95 % CI of
/// that gap lies wholly below zero. PPV is the one observed in the evaluated set, at each subgroup's own prevalence.
/// </summary>
public sealed record SubgroupTable(
    double Threshold,
    int MinimumPerClass,
    double WarningGap,
    string Method,
    SubgroupRow Overall,
    IReadOnlyList<SubgroupRow> Rows
)
{
    /// <summary>
    /// Below 20 positives or 20 negatives a percentile interval of a proportion rests on too few cases to mean much,
    /// so the figures are shown with n and no interval, and no warning is tested.
    /// </summary>
    public const int DefaultMinimumPerClass = 20;

    public const double DefaultWarningGap = 0.10;

    [JsonIgnore]
    public IReadOnlyList<SubgroupRow> Warnings => Rows.Where(r => r.Warning).ToList();

    public static SubgroupTable Compute(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> scores,
        double threshold,
        IReadOnlyList<IReadOnlyList<Subgroup>> memberships,
        int minimumPerClass = DefaultMinimumPerClass
    )
    {
        if (memberships.Count != labels.Count)
            throw new ArgumentException($"{labels.Count} labels but {memberships.Count} memberships.", nameof(labels));
        Func<IReadOnlyList<int>, IReadOnlyList<double>, double> sensitivity = (l, s) =>
            BinaryMetrics.Confusion(l, s, threshold).Sensitivity;
        var groups = Subgroup.InReportOrder(memberships.SelectMany(m => m).Distinct()).ToList();
        var members = groups.Select(g => memberships.Select(m => m.Contains(g)).ToArray()).ToList();
        var tested = Enumerable.Range(0, groups.Count).Where(g => Enough(labels, members[g], minimumPerClass)).ToList();
        var gaps = BinaryMetrics.SubsetDifferences(
            labels,
            scores,
            tested.Select(g => members[g]).ToList(),
            sensitivity
        );
        var gapOf = tested.Select((g, k) => (g, k)).ToDictionary(x => x.g, x => gaps[x.k]);

        var overall = Row("all", "all", labels, scores, threshold, minimumPerClass, null, double.NaN);
        var rows = groups
            .Select(
                (group, g) =>
                {
                    var inside = Enumerable.Range(0, labels.Count).Where(i => members[g][i]).ToArray();
                    return Row(
                        group.Dimension,
                        group.Name,
                        inside.Select(i => labels[i]).ToArray(),
                        inside.Select(i => scores[i]).ToArray(),
                        threshold,
                        minimumPerClass,
                        gapOf.GetValueOrDefault(g),
                        overall.Sensitivity
                    );
                }
            )
            .ToList();
        var method =
            $"Percentile bootstrap, {BinaryMetrics.BootstrapResamples} resamples (seed {BinaryMetrics.BootstrapSeed}): "
            + "a subgroup's intervals resample its own cases; the sensitivity gap (subgroup − overall) is a paired "
            + "bootstrap that resamples all cases and takes both sensitivities from the same resample. A warning when "
            + $"the gap is below −{F(DefaultWarningGap, "0.00")} and its 95 % CI lies below zero. Subgroups with fewer "
            + $"than {minimumPerClass} positives or {minimumPerClass} negatives: figures and n only, no interval, no "
            + "warning test. PPV is the evaluated set's, at each subgroup's own prevalence. A case with notes in two "
            + "languages counts in both.";
        return new SubgroupTable(threshold, minimumPerClass, DefaultWarningGap, method, overall, rows);
    }

    /// <summary>One stderr line naming every subgroup that warns, or null when none does.</summary>
    public string? WarningLine()
    {
        var warnings = Warnings;
        if (warnings.Count == 0)
            return null;
        return $"warning: sensitivity more than {F(WarningGap * 100, "0")} points below the overall "
            + $"{F(Overall.Sensitivity, "0.000")} (paired bootstrap 95 % CI of the gap below zero) in "
            + string.Join(
                "; ",
                warnings.Select(r =>
                    $"{r.Label}: {F(r.Sensitivity, "0.000")}, gap {F(r.SensitivityGap, "0.000")} "
                    + $"({F(r.Ci95!.SensitivityGap![0], "0.000")} to {F(r.Ci95.SensitivityGap[1], "0.000")}), "
                    + $"n {r.Cases}, positives {r.Positives}"
                )
            );
    }

    public static readonly IReadOnlyList<string> Header =
    [
        "subgroup",
        "n",
        "pos",
        "sensitivity (95 % CI)",
        "specificity (95 % CI)",
        "PPV (95 % CI)",
        "AUROC (95 % CI)",
        "sensitivity − overall (paired 95 % CI)",
        "warning",
    ];

    /// <summary>The table's cells, overall first: what the markdown and the HTML report both show.</summary>
    public IEnumerable<string[]> Cells() =>
        new[] { Overall }
            .Concat(Rows)
            .Select(r =>
                new[]
                {
                    r.Label,
                    r.Cases.ToString(CultureInfo.InvariantCulture),
                    r.Positives.ToString(CultureInfo.InvariantCulture),
                    WithInterval(r.Sensitivity, r.Ci95?.Sensitivity),
                    WithInterval(r.Specificity, r.Ci95?.Specificity),
                    WithInterval(r.Ppv, r.Ci95?.Ppv),
                    WithInterval(r.Auroc, r.Ci95?.Auroc),
                    r == Overall ? ""
                    : r.Ci95 is null ? F(r.SensitivityGap, "0.000") + " (no CI: too few cases)"
                    : WithInterval(r.SensitivityGap, r.Ci95.SensitivityGap),
                    r.Warning ? "sensitivity below overall" : "",
                }
            );

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"Subgroups at the operating threshold p >= {F(Threshold, "0.000")}. {Method}"
        );
        text.AppendLine();
        text.AppendLine("| " + string.Join(" | ", Header) + " |");
        text.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", Header.Count)));
        foreach (var cells in Cells())
            text.AppendLine("| " + string.Join(" | ", cells) + " |");
        return text.ToString();
    }

    private static SubgroupRow Row(
        string dimension,
        string group,
        IReadOnlyList<int> labels,
        IReadOnlyList<double> scores,
        double threshold,
        int minimumPerClass,
        Interval? gap,
        double overallSensitivity
    )
    {
        var confusion = BinaryMetrics.Confusion(labels, scores, threshold);
        var auroc = BinaryMetrics.Auroc(labels, scores);
        SubgroupIntervals? intervals = null;
        if (Enough(labels, null, minimumPerClass))
        {
            double[] Ci(Func<IReadOnlyList<int>, IReadOnlyList<double>, double> metric)
            {
                var interval = BinaryMetrics.Bootstrap(labels, scores, metric);
                return [interval.Lower, interval.Upper];
            }
            intervals = new SubgroupIntervals(
                Ci((l, s) => BinaryMetrics.Confusion(l, s, threshold).Sensitivity),
                Ci((l, s) => BinaryMetrics.Confusion(l, s, threshold).Specificity),
                Ci((l, s) => BinaryMetrics.Confusion(l, s, threshold).PositivePredictiveValue),
                Ci(BinaryMetrics.Auroc),
                gap is null ? null : [gap.Lower, gap.Upper]
            );
        }
        var warning = gap is not null && gap.Estimate < -DefaultWarningGap && gap.Upper < 0;
        return new SubgroupRow(
            dimension,
            group,
            labels.Count,
            labels.Count(l => l == 1),
            confusion.Sensitivity,
            confusion.Specificity,
            confusion.PositivePredictiveValue,
            auroc,
            double.IsNaN(overallSensitivity) ? 0 : confusion.Sensitivity - overallSensitivity,
            intervals,
            warning
        );
    }

    private static bool Enough(IReadOnlyList<int> labels, bool[]? member, int minimum)
    {
        int positives = 0,
            negatives = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            if (member is not null && !member[i])
                continue;
            if (labels[i] == 1)
                positives++;
            else
                negatives++;
        }
        return positives >= minimum && negatives >= minimum;
    }

    private static string WithInterval(double estimate, double[]? interval) =>
        interval is null
            ? F(estimate, "0.000")
            : $"{F(estimate, "0.000")} ({F(interval[0], "0.000")} to {F(interval[1], "0.000")})";

    private static string F(double value, string format) =>
        double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);
}
