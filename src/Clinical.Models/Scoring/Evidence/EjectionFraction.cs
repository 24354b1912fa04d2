namespace Clinical.Models.Scoring.Evidence;

/// <summary>
/// ESC 2021 HF guideline, Table 3: HFrEF LVEF ≤ 40 %, HFmrEF 41–49 %, preserved ≥ 50 % (HFpEF needs structural or
/// functional evidence too).
/// </summary>
public enum EjectionFractionCategory
{
    Reduced,
    MildlyReduced,
    Preserved,
}

public sealed record EjectionFraction(VitalValue Measurement, EjectionFractionCategory Category)
{
    public static EjectionFraction? Assess(RiskInput input) =>
        input.Latest(VitalKind.Lvef) is { } lvef ? new EjectionFraction(lvef, Categorise(lvef.Value)) : null;

    public static EjectionFractionCategory Categorise(double percent) =>
        percent switch
        {
            <= 40 => EjectionFractionCategory.Reduced,
            < 50 => EjectionFractionCategory.MildlyReduced,
            _ => EjectionFractionCategory.Preserved,
        };

    /// <summary>
    /// The measurement as a fact, dated, and marked old past <see cref="PeptideEvidence.FreshYears"/> years.
    /// </summary>
    public static EjectionFractionFact Fact(VitalValue measurement, DateOnly asOf) =>
        new(measurement.Value, Categorise(measurement.Value), measurement.When)
        {
            YearsOld = PeptideEvidence.YearsOldIfStale(measurement.When, asOf),
        };
}
