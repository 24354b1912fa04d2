using Clinical.Models.Scoring.Evidence;

namespace Clinical.Models.Scoring;

/// <summary>
/// The guideline floor, a safety invariant of the engine: with no HF diagnosis on record, guideline-positive evidence
/// makes the patient at least moderate (flagged), whatever the learned components say. Guideline-positive (ESC 2021
/// HF guideline, McDonagh et al., Eur Heart J 2021;42:3599, section 4.1, Figure 1 and Table 3): the latest
/// natriuretic peptide at or above the non-acute threshold (NT-proBNP ≥ 125 pg/mL, BNP ≥ 35 pg/mL), for which the
/// guideline indicates echocardiography; or an LVEF ≤ 49 % (reduced or mildly reduced) with no LVEF ≥ 50 % recorded on
/// a later day (an undated measurement is never taken as the later one). Old evidence still counts: it lowers the
/// confidence and asks for a repeat (<see cref="RestsOnOldEvidence"/>). A learned model may raise the level and
/// orders patients inside it, but never turns this evidence into "not suspected".
/// </summary>
public sealed record GuidelineFloor(IReadOnlyList<Finding> Criteria)
{
    /// <summary>Every criterion is older than <see cref="PeptideEvidence.FreshYears"/> years (or undated).</summary>
    public bool RestsOnOldEvidence => Criteria.All(c => IsOld(c.Fact));

    public static GuidelineFloor? Of(RiskInput input, GuidelineEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(evidence);
        if (input.HeartFailureDiagnoses.Count > 0)
            return null;
        var criteria = new List<Finding>();
        if (evidence.Peptide is { AboveThreshold: true } peptide)
            criteria.Add(new Finding(peptide.Latest.Source, peptide.LatestFact(input.AsOf)));
        if (ReducedEjectionFraction(input) is { } lvef)
            criteria.Add(new Finding(lvef.Source, EjectionFraction.Fact(lvef, input.AsOf)));
        return criteria.Count == 0 ? null : new GuidelineFloor(criteria);
    }

    /// <summary>
    /// The latest LVEF below 50 % that no LVEF ≥ 50 % measured on a later day supersedes; null when there is none.
    /// </summary>
    public static VitalValue? ReducedEjectionFraction(RiskInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var measured = input.Vitals.Where(v => v.Kind == VitalKind.Lvef).ToList();
        var lastNormal = measured
            .Where(v => EjectionFraction.Categorise(v.Value) == EjectionFractionCategory.Preserved)
            .Select(v => v.When is { } when ? CalendarDay.Of(when) : (DateOnly?)null)
            .Max();
        return measured
            .Where(v => EjectionFraction.Categorise(v.Value) != EjectionFractionCategory.Preserved)
            .Where(v => lastNormal is not { } normal || v.When is not { } when || CalendarDay.Of(when) >= normal)
            .OrderByDescending(v => v.When ?? DateTimeOffset.MinValue)
            .FirstOrDefault();
    }

    /// <summary>
    /// The level and the probability shown. At or above the moderate cut-off the learned probability stands (the
    /// floor is met but does not decide). Below it, the floor decides: the probability is placed in the moderate band
    /// by p' = m + (h − m)·p/m, with m and h the moderate and high cut-offs moved inward to 4 decimals (the
    /// precision of RiskAssessment.probability), so that floored patients keep their learned order inside the band
    /// and the shown probability always reads as the level it carries.
    /// </summary>
    public RiskDecision Apply(double learned, StackedCombiner combiner)
    {
        ArgumentNullException.ThrowIfNull(combiner);
        var moderate = combiner.Thresholds.Moderate;
        if (learned >= moderate)
            return new RiskDecision(learned, combiner.Categorise(learned), learned, new FloorDecision(this, false));
        var bottom = Math.Ceiling(moderate * 1e4) / 1e4;
        var top = Math.Max(bottom, Math.Floor(combiner.Thresholds.High * 1e4) / 1e4 - 1e-4);
        var shown = bottom + (top - bottom) * Math.Clamp(learned / moderate, 0, 1);
        var category = combiner.Categorise(shown);
        return new RiskDecision(
            shown,
            category < RiskCategory.Moderate ? RiskCategory.Moderate : category,
            learned,
            new FloorDecision(this, true)
        );
    }

    private static bool IsOld(EvidenceFact fact) =>
        fact switch
        {
            PeptideFact p => p.Stale,
            EjectionFractionFact e => e.YearsOld is not null,
            _ => false,
        };
}

/// <summary>
/// The floor met by a record and whether it decided the level (the learned probability was below moderate).
/// </summary>
public sealed record FloorDecision(GuidelineFloor Floor, bool Decided);

/// <summary>
/// The probability shown and the level, from the stacked, calibrated combination (Learned) and the guideline floor.
/// </summary>
public sealed record RiskDecision(double Probability, RiskCategory Category, double Learned, FloorDecision? Floor);
