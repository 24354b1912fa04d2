namespace Clinical.Models.Scoring;

public enum PeptideKind
{
    NtProBnp,
    Bnp,
}

/// <summary>
/// A natriuretic peptide result in pg/mL; Comparator is "&gt;", "&gt;=", "&lt;" or "&lt;=" when the lab reported a
/// bound.
/// </summary>
public sealed record PeptideResult(
    PeptideKind Kind,
    double ValuePgMl,
    string? Comparator,
    DateTimeOffset? When,
    string Source
);

/// <summary>An active, confirmed HF diagnosis already in the record.</summary>
public sealed record KnownDiagnosis(string Description, DateTimeOffset? When, string Source);

public enum PatientSex
{
    Unknown,
    Female,
    Male,
}

/// <summary>
/// Measurements other than the peptides, in the product's units (%, kg/m2, mmHg, /min, mL/min/1.73m2, g/dL, kg).
/// </summary>
public enum VitalKind
{
    Lvef,
    Bmi,
    SystolicBp,
    DiastolicBp,
    HeartRate,
    Egfr,
    Haemoglobin,
    BodyWeight,
}

public sealed record VitalValue(VitalKind Kind, double Value, DateTimeOffset? When, string Source);

public enum Comorbidity
{
    Hypertension,
    AtrialFibrillation,
    Diabetes,
    ChronicKidneyDisease,
    IschaemicHeartDisease,
    Copd,
    Obesity,
    ValveDisease,
    Anaemia,
}

public sealed record ComorbidityFact(Comorbidity Kind, string Description, DateTimeOffset? When, string Source);

public enum Treatment
{
    LoopDiuretic,
    MineralocorticoidAntagonist,
    SacubitrilValsartan,
    Sglt2Inhibitor,
    HeartFailureBetaBlocker,
    AceInhibitor,
    AngiotensinReceptorBlocker,
    Digoxin,
    Ivabradine,
    DihydropyridineCalciumBlocker,
}

public sealed record TreatmentFact(Treatment Kind, string Description, DateTimeOffset? When, string Source);

/// <summary>A clinical note's text; Language is ISO 639-1 (es, ca, gl, eu, en).</summary>
public sealed record NoteText(string Text, string Language, DateTimeOffset? When, string Source);

/// <summary>What the risk engine sees of a patient: plain values with the reference of where each came from.</summary>
public sealed record RiskInput(
    string PatientKey,
    DateOnly AsOf,
    int? AgeYears,
    IReadOnlyList<PeptideResult> Peptides,
    IReadOnlyList<KnownDiagnosis> HeartFailureDiagnoses
)
{
    public PatientSex Sex { get; init; }

    public IReadOnlyList<VitalValue> Vitals { get; init; } = [];

    public IReadOnlyList<ComorbidityFact> Comorbidities { get; init; } = [];

    public IReadOnlyList<TreatmentFact> Treatments { get; init; } = [];

    public IReadOnlyList<NoteText> Notes { get; init; } = [];

    public bool Has(Comorbidity kind) => Comorbidities.Any(c => c.Kind == kind);

    public bool Takes(Treatment kind) => Treatments.Any(t => t.Kind == kind);

    public VitalValue? Latest(VitalKind kind) =>
        Vitals.Where(v => v.Kind == kind).OrderByDescending(v => v.When ?? DateTimeOffset.MinValue).FirstOrDefault();
}
