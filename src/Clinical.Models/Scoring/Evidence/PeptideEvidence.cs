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

    /// <summary>
    /// Whole years from a dated fact to the as-of date when it is older than <see cref="FreshYears"/> years; null when
    /// it is recent or undated (an undated fact is stale, but its age is unknown).
    /// </summary>
    public static int? YearsOldIfStale(DateTimeOffset? when, DateOnly asOf)
    {
        if (when is not { } w)
            return null;
        var day = CalendarDay.Of(w);
        if (day >= asOf.AddYears(-FreshYears))
            return null;
        var years = asOf.Year - day.Year;
        return asOf < day.AddYears(years) ? years - 1 : years;
    }

    /// <summary>The latest value as a fact, with its trend, and its age when it is stale.</summary>
    public PeptideFact LatestFact(DateOnly asOf) =>
        new(Latest.Kind, Latest.ValuePgMl, Latest.Comparator, Threshold, AboveThreshold, Latest.When)
        {
            Trend = Previous is null ? null : new PeptideTrend(Direction(), Previous.ValuePgMl, Previous.When),
            Stale = Stale,
            YearsOld = Stale ? YearsOldIfStale(Latest.When, asOf) : null,
        };

    public PeptideFact MaximumFact =>
        new(Maximum.Kind, Maximum.ValuePgMl, Maximum.Comparator, Threshold, IsAbove(Maximum), Maximum.When)
        {
            IsMaximum = true,
        };

    private TrendDirection Direction()
    {
        var change = (Latest.ValuePgMl - Previous!.ValuePgMl) / Math.Max(Previous.ValuePgMl, 1);
        return change > 0.2 ? TrendDirection.Rising
            : change < -0.2 ? TrendDirection.Falling
            : TrendDirection.Stable;
    }
}
