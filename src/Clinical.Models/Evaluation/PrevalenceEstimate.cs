using System.Globalization;
using System.Text;

namespace Clinical.Models.Evaluation;

/// <summary>
/// Figures at a deployment prevalence P other than the evaluated set's. The flag threshold stays where the card put
/// it (the same patients are flagged; on the shifted scale it sits at ShiftedThreshold), so sensitivity and
/// specificity are the set's. PPV and NPV come two ways: by Bayes' rule from sensitivity and specificity, and from the
/// probabilities moved from CalibratedAt to P by a prior shift (<see cref="BinaryMetrics.ShiftPrior"/>; Saerens et al.
/// 2002), averaged over the flagged (or unflagged) cases reweighted by label to prevalence P. The gaps between the two
/// are paired bootstraps; Agree is true when both intervals include zero, i.e. the shifted probabilities predict the
/// predictive values within sampling error.
/// </summary>
public sealed record PrevalenceEstimate(
    double Prevalence,
    double CalibratedAt,
    string CalibratedAtSource,
    double EvaluatedPrevalence,
    double Threshold,
    double ShiftedThreshold,
    Interval Sensitivity,
    Interval Specificity,
    Interval Ppv,
    Interval Npv,
    Interval PpvFromProbabilities,
    Interval NpvFromProbabilities,
    Interval PpvGap,
    Interval NpvGap,
    bool Agree
)
{
    public const string Method =
        "Threshold unchanged (the same cases are flagged). PPV/NPV by Bayes' rule from sensitivity and specificity; "
        + "\"from probabilities\": the calibrated probabilities prior-shifted from the calibration prevalence to P "
        + "(logit p' = logit p + logit P - logit P0; Saerens, Latinne and Decaestecker, Neural Computation 2002), "
        + "averaged over flagged (PPV) or unflagged (NPV) cases reweighted by label to prevalence P. 95 % CIs: "
        + "percentile bootstrap; the gaps (from probabilities - Bayes) are paired over the same resamples, and the two "
        + "agree when both gaps' CIs include zero.";

    public static PrevalenceEstimate Compute(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> probabilities,
        double threshold,
        double prevalence,
        CalibratedPrevalence calibratedAt
    )
    {
        ArgumentNullException.ThrowIfNull(calibratedAt);
        var from = calibratedAt.Value;
        Func<IReadOnlyList<int>, IReadOnlyList<double>, double> sensitivity = (l, s) =>
                BinaryMetrics.Confusion(l, s, threshold).Sensitivity,
            specificity = (l, s) => BinaryMetrics.Confusion(l, s, threshold).Specificity,
            ppv = (l, s) => Bayes(l, s, threshold, prevalence, positive: true),
            npv = (l, s) => Bayes(l, s, threshold, prevalence, positive: false),
            shiftedPpv = (l, s) => BinaryMetrics.ShiftedPpv(l, s, threshold, from, prevalence),
            shiftedNpv = (l, s) => BinaryMetrics.ShiftedNpv(l, s, threshold, from, prevalence);
        var ppvGap = BinaryMetrics.PairedDifference(labels, probabilities, shiftedPpv, ppv);
        var npvGap = BinaryMetrics.PairedDifference(labels, probabilities, shiftedNpv, npv);
        return new PrevalenceEstimate(
            prevalence,
            from,
            calibratedAt.Source,
            labels.Average(),
            threshold,
            BinaryMetrics.ShiftPrior(threshold, from, prevalence),
            BinaryMetrics.Bootstrap(labels, probabilities, sensitivity),
            BinaryMetrics.Bootstrap(labels, probabilities, specificity),
            BinaryMetrics.Bootstrap(labels, probabilities, ppv),
            BinaryMetrics.Bootstrap(labels, probabilities, npv),
            BinaryMetrics.Bootstrap(labels, probabilities, shiftedPpv),
            BinaryMetrics.Bootstrap(labels, probabilities, shiftedNpv),
            ppvGap,
            npvGap,
            Includes(ppvGap, 0) && Includes(npvGap, 0)
        );
    }

    /// <summary>A line for stderr naming the predictive values on which the two ways disagree, else null.</summary>
    public string? DisagreementLine() =>
        Agree
            ? null
            : $"warning: at prevalence {F(Prevalence, "0.###")} the prior-shifted probabilities and Bayes' rule "
                + "disagree beyond sampling error on "
                + string.Join(
                    " and ",
                    Disagreements()
                        .Select(d =>
                            $"{d.Name} ({F(d.Shifted, "0.0000")} against {F(d.Bayes, "0.0000")}, "
                            + $"paired 95 % CI of the gap {Range(d.Gap)})"
                        )
                )
                + ": the calibration does not carry to this prevalence there.";

    public static readonly IReadOnlyList<string> Header =
    [
        "prevalence",
        "calibrated at",
        "threshold (shifted)",
        "sensitivity (95 % CI)",
        "specificity (95 % CI)",
        "PPV, Bayes (95 % CI)",
        "PPV from probabilities (95 % CI)",
        "NPV, Bayes (95 % CI)",
        "NPV from probabilities (95 % CI)",
        "agree",
    ];

    public string[] Cells() =>
        [
            F(Prevalence, "0.###"),
            F(CalibratedAt, "0.###"),
            $"{F(Threshold, "0.000")} ({F(ShiftedThreshold, "0.0000")})",
            Show(Sensitivity, "0.000"),
            Show(Specificity, "0.000"),
            Show(Ppv, "0.000"),
            Show(PpvFromProbabilities, "0.000"),
            Show(Npv, "0.0000"),
            Show(NpvFromProbabilities, "0.0000"),
            Agree ? "yes" : "no: " + string.Join(", ", Disagreements().Select(d => $"{d.Name} gap {Range(d.Gap)}")),
        ];

    public static string ToMarkdown(IReadOnlyList<PrevalenceEstimate> estimates)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        var text = new StringBuilder();
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"At deployment prevalence (evaluated set: {F(estimates[0].EvaluatedPrevalence, "0.000")} positive; "
                + $"calibration prevalence from {estimates[0].CalibratedAtSource}). {Method}"
        );
        text.AppendLine();
        text.AppendLine("| " + string.Join(" | ", Header) + " |");
        text.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", Header.Count)));
        foreach (var estimate in estimates)
            text.AppendLine("| " + string.Join(" | ", estimate.Cells()) + " |");
        return text.ToString();
    }

    private static double Bayes(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> scores,
        double threshold,
        double prevalence,
        bool positive
    )
    {
        var counts = BinaryMetrics.Confusion(labels, scores, threshold);
        return positive
            ? BinaryMetrics.PpvAt(counts.Sensitivity, counts.Specificity, prevalence)
            : BinaryMetrics.NpvAt(counts.Sensitivity, counts.Specificity, prevalence);
    }

    private IEnumerable<(string Name, double Shifted, double Bayes, Interval Gap)> Disagreements()
    {
        if (!Includes(PpvGap, 0))
            yield return ("PPV", PpvFromProbabilities.Estimate, Ppv.Estimate, PpvGap);
        if (!Includes(NpvGap, 0))
            yield return ("NPV", NpvFromProbabilities.Estimate, Npv.Estimate, NpvGap);
    }

    private static bool Includes(Interval interval, double value) =>
        !(interval.Lower > value) && !(interval.Upper < value);

    private static string Show(Interval interval, string format) =>
        $"{F(interval.Estimate, format)} ({F(interval.Lower, format)} to {F(interval.Upper, format)})";

    private static string Range(Interval interval) => $"{F(interval.Lower, "0.0000")} to {F(interval.Upper, "0.0000")}";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
