namespace Clinical.Models.Scoring.Evidence;

/// <summary>
/// ESC 2021 HF guideline (McDonagh et al., Eur Heart J 2021;42:3599, section 4.1 and Figure 1), non-acute
/// setting: NT-proBNP &lt; 125 pg/mL or BNP &lt; 35 pg/mL makes HF unlikely; at or above, echocardiography
/// is indicated. The latest value decides; the maximum and the change from the previous value are kept.
/// </summary>
public sealed record PeptideEvidence(
    PeptideResult Latest,
    PeptideResult Maximum,
    PeptideResult? Previous,
    double Threshold,
    bool AboveThreshold,
    bool Stale
)
{
    public const double NtProBnpThreshold = 125;
    public const double BnpThreshold = 35;
    public const int FreshYears = 2;

    public string Label => Latest.Kind == PeptideKind.NtProBnp ? "NT-proBNP" : "BNP";

    /// <summary>Latest value over its threshold (1 at the threshold).</summary>
    public double Ratio => Math.Max(Latest.ValuePgMl, 1) / Threshold;

    public static double ThresholdOf(PeptideKind kind) =>
        kind == PeptideKind.NtProBnp ? NtProBnpThreshold : BnpThreshold;

    public static bool IsAbove(PeptideResult result)
    {
        var threshold = ThresholdOf(result.Kind);
        return result.Comparator is "<" or "<=" ? result.ValuePgMl > threshold : result.ValuePgMl >= threshold;
    }

    public static PeptideEvidence? Assess(RiskInput input)
    {
        var ordered = input
            .Peptides.OrderByDescending(p => p.When ?? DateTimeOffset.MinValue)
            .ThenBy(p => p.Kind)
            .ToList();
        if (ordered.Count == 0)
            return null;
        var latest = ordered[0];
        var sameKind = ordered.Where(p => p.Kind == latest.Kind).ToList();
        var maximum = sameKind.MaxBy(p => p.ValuePgMl)!;
        var previous = sameKind.Skip(1).FirstOrDefault();
        var stale = latest.When is not { } when || CalendarDay.Of(when) < input.AsOf.AddYears(-FreshYears);
        return new PeptideEvidence(latest, maximum, previous, ThresholdOf(latest.Kind), IsAbove(latest), stale);
    }

    public string Shown(PeptideResult result) =>
        $"{Label} {Bound(result)}{SpanishText.Number(result.ValuePgMl)} pg/mL{SpanishText.DateSuffix(result.When)}";

    public string Trend()
    {
        if (Previous is null)
            return "";
        var change = (Latest.ValuePgMl - Previous.ValuePgMl) / Math.Max(Previous.ValuePgMl, 1);
        var word =
            change > 0.2 ? "en aumento"
            : change < -0.2 ? "en descenso"
            : "estable";
        return $", {word} (previo {SpanishText.Number(Previous.ValuePgMl)} "
            + $"pg/mL{SpanishText.DateSuffix(Previous.When)})";
    }

    private static string Bound(PeptideResult result) =>
        result.Comparator is "<" or "<=" ? "<"
        : result.Comparator is ">" or ">=" ? ">"
        : "";
}
