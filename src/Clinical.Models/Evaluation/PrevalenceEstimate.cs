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
        "Threshold unchanged (the same cases are flagged: the engine's decisions, after the guideline floor where "
        + "there is one). PPV/NPV by Bayes' rule from sensitivity and specificity; "
        + "\"from probabilities\": the calibrated probabilities (before any floor) prior-shifted from the calibration "
        + "prevalence to P "
        + "(logit p' = logit p + logit P - logit P0; Saerens, Latinne and Decaestecker, Neural Computation 2002), "
        + "averaged over flagged (PPV) or unflagged (NPV) cases reweighted by label to prevalence P. 95 % CIs: "
        + "percentile bootstrap; the gaps (from probabilities - Bayes) are paired over the same resamples, and the two "
        + "agree when both gaps' CIs include zero.";

    /// <summary>
    /// The figures at prevalence P. A case is flagged when its probability reaches the threshold, unless the caller
    /// gives the engine's own decisions in <paramref name="flagged"/> (a guideline floor flags some cases below it).
    /// </summary>
    public static PrevalenceEstimate Compute(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> probabilities,
        double threshold,
        double prevalence,
        CalibratedPrevalence calibratedAt,
        IReadOnlyList<bool>? flagged = null
    )
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(calibratedAt);
        var called = flagged ?? probabilities.Select(p => p >= threshold).ToArray();
        if (probabilities.Count != labels.Count || called.Count != labels.Count)
            throw new ArgumentException(
                $"{labels.Count} labels, {probabilities.Count} probabilities, {called.Count} decisions.",
                nameof(flagged)
            );
        var from = calibratedAt.Value;
        // Statistics of resampled cases (indices), so each reads a case's label, decision and probability together.
        ConfusionMatrix Counts(IReadOnlyList<int> cases)
        {
            int tp = 0,
                fp = 0,
                tn = 0,
                fn = 0;
            foreach (var i in cases)
            {
                if (labels[i] == 1 && called[i])
                    tp++;
                else if (labels[i] == 1)
                    fn++;
                else if (called[i])
                    fp++;
                else
                    tn++;
            }
            return new ConfusionMatrix(tp, fp, tn, fn);
        }
        double Shifted(IReadOnlyList<int> cases, bool positive)
        {
            var l = cases.Select(i => labels[i]).ToArray();
            var p = cases.Select(i => probabilities[i]).ToArray();
            var c = cases.Select(i => called[i]).ToArray();
            return positive
                ? BinaryMetrics.ShiftedPpv(l, p, c, from, prevalence)
                : BinaryMetrics.ShiftedNpv(l, p, c, from, prevalence);
        }
        Func<IReadOnlyList<int>, double> sensitivity = cases => Counts(cases).Sensitivity,
            specificity = cases => Counts(cases).Specificity,
            ppv = cases => Bayes(Counts(cases), prevalence, positive: true),
            npv = cases => Bayes(Counts(cases), prevalence, positive: false),
            shiftedPpv = cases => Shifted(cases, positive: true),
            shiftedNpv = cases => Shifted(cases, positive: false);
        var n = labels.Count;
        var ppvGap = BinaryMetrics.PairedCases(n, shiftedPpv, ppv);
        var npvGap = BinaryMetrics.PairedCases(n, shiftedNpv, npv);
        return new PrevalenceEstimate(
            prevalence,
            from,
            calibratedAt.Source,
            labels.Average(),
            threshold,
            BinaryMetrics.ShiftPrior(threshold, from, prevalence),
            BinaryMetrics.BootstrapCases(n, sensitivity),
            BinaryMetrics.BootstrapCases(n, specificity),
            BinaryMetrics.BootstrapCases(n, ppv),
            BinaryMetrics.BootstrapCases(n, npv),
            BinaryMetrics.BootstrapCases(n, shiftedPpv),
            BinaryMetrics.BootstrapCases(n, shiftedNpv),
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

    private static double Bayes(ConfusionMatrix counts, double prevalence, bool positive) =>
        positive
            ? BinaryMetrics.PpvAt(counts.Sensitivity, counts.Specificity, prevalence)
            : BinaryMetrics.NpvAt(counts.Sensitivity, counts.Specificity, prevalence);

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
