namespace Clinical.Models.Evaluation;

/// <summary>
/// Predictive values at a prevalence other than the evaluation set's, two ways: from sensitivity and specificity by
/// Bayes' rule, and from the probabilities moved to that prevalence by a prior shift (Saerens, Latinne and
/// Decaestecker, "Adjusting the outputs of a classifier to new a priori probabilities: a simple procedure", Neural
/// Computation 14(1):21–41, 2002). Both assume the label shift that paper assumes: p(x | class) is the same in the
/// evaluation set and at the new prevalence.
/// </summary>
public static partial class BinaryMetrics
{
    /// <summary>
    /// A probability calibrated where the positive share was <paramref name="from"/>, moved to a positive share
    /// <paramref name="to"/>: logit p′ = logit p + logit to − logit from, written in odds so that 0 and 1 stay put.
    /// </summary>
    public static double ShiftPrior(double probability, double from, double to)
    {
        CheckPrevalence(from, nameof(from));
        CheckPrevalence(to, nameof(to));
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1);
        var ratio = to / (1 - to) / (from / (1 - from));
        return probability * ratio / (probability * ratio + (1 - probability));
    }

    /// <summary>Bayes' rule: sens·P / (sens·P + (1 − spec)(1 − P)).</summary>
    public static double PpvAt(double sensitivity, double specificity, double prevalence)
    {
        CheckPrevalence(prevalence, nameof(prevalence));
        var truePositive = sensitivity * prevalence;
        var falsePositive = (1 - specificity) * (1 - prevalence);
        return truePositive + falsePositive == 0 ? double.NaN : truePositive / (truePositive + falsePositive);
    }

    /// <summary>Bayes' rule: spec·(1 − P) / (spec·(1 − P) + (1 − sens)·P).</summary>
    public static double NpvAt(double sensitivity, double specificity, double prevalence)
    {
        CheckPrevalence(prevalence, nameof(prevalence));
        var trueNegative = specificity * (1 - prevalence);
        var falseNegative = (1 - sensitivity) * prevalence;
        return trueNegative + falseNegative == 0 ? double.NaN : trueNegative / (trueNegative + falseNegative);
    }

    /// <summary>
    /// The PPV the prior-shifted probabilities predict among the cases called positive (probability at or above the
    /// threshold, on the calibration scale), with the cases reweighted to the new prevalence by their label
    /// (positives P / π, negatives (1 − P) / (1 − π), π the set's own share): Σ w·p′ / Σ w over called cases. Equal to
    /// <see cref="PpvAt"/> on the same cases when the shifted probabilities are calibrated among them; their gap
    /// measures how far the calibration carries to the new prevalence.
    /// </summary>
    public static double ShiftedPpv(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> probabilities,
        double threshold,
        double from,
        double to
    ) => ShiftedPpv(labels, probabilities, probabilities.Select(p => p >= threshold).ToArray(), from, to);

    /// <summary>
    /// As above, for a decision that is not the probability against a threshold (a guideline floor flags some cases
    /// whose calibrated probability lies below it).
    /// </summary>
    public static double ShiftedPpv(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> probabilities,
        IReadOnlyList<bool> called,
        double from,
        double to
    ) => Shifted(labels, probabilities, from, to, positive: true, i => called[i]);

    /// <summary>The NPV the prior-shifted probabilities predict, like <see cref="ShiftedPpv(IReadOnlyList{int},
    /// IReadOnlyList{double}, double, double, double)"/>: Σ w·(1 − p′) / Σ w over the cases not called.</summary>
    public static double ShiftedNpv(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> probabilities,
        double threshold,
        double from,
        double to
    ) => ShiftedNpv(labels, probabilities, probabilities.Select(p => p >= threshold).ToArray(), from, to);

    public static double ShiftedNpv(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> probabilities,
        IReadOnlyList<bool> called,
        double from,
        double to
    ) => Shifted(labels, probabilities, from, to, positive: false, i => !called[i]);

    private static double Shifted(
        IReadOnlyList<int> labels,
        IReadOnlyList<double> probabilities,
        double from,
        double to,
        bool positive,
        Func<int, bool> member
    )
    {
        Check(labels, probabilities);
        var share = labels.Average();
        if (share is 0 or 1)
            return double.NaN;
        double weighted = 0,
            total = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            if (!member(i))
                continue;
            var weight = labels[i] == 1 ? to / share : (1 - to) / (1 - share);
            var shifted = ShiftPrior(probabilities[i], from, to);
            weighted += weight * (positive ? shifted : 1 - shifted);
            total += weight;
        }
        return total == 0 ? double.NaN : weighted / total;
    }

    private static void CheckPrevalence(double prevalence, string name)
    {
        if (!(prevalence > 0 && prevalence < 1))
            throw new ArgumentOutOfRangeException(name, prevalence, "A prevalence must lie strictly between 0 and 1.");
    }
}
