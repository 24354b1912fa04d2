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

    public string Spanish =>
        Category switch
        {
            EjectionFractionCategory.Reduced => "reducida (IC-FEr si hay IC)",
            EjectionFractionCategory.MildlyReduced => "ligeramente reducida (IC-FElr si hay IC)",
            _ => "preservada",
        };
}
