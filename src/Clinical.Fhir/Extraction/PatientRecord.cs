namespace Clinical.Fhir.Extraction;

public enum Sex
{
    Unknown,
    Female,
    Male,
    Other,
}

public enum MeasurementKind
{
    NtProBnp,
    Bnp,
    Lvef,
    BodyWeight,
    Bmi,
    SystolicBp,
    DiastolicBp,
    HeartRate,
    Egfr,
    Creatinine,
    Potassium,
    Sodium,
    Haemoglobin,
}

/// <summary>
/// A measured value normalised to the product's unit for its kind (pg/mL for peptides, % for LVEF,
/// kg, kg/m2, mmHg, /min, mL/min/1.73m2, mg/dL, mmol/L, g/dL). Comparators ("&gt;35000") are kept.
/// The original value and unit are kept for display and audit.
/// </summary>
public sealed record Measurement(
    MeasurementKind Kind,
    decimal Value,
    string Unit,
    string? Comparator,
    DateTimeOffset? When,
    string Source,
    string Code,
    decimal OriginalValue,
    string? OriginalUnit
);

public enum ConditionCategory
{
    HeartFailure,
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

/// <summary>
/// A coded condition. IsActive is false for refuted, entered-in-error, resolved, inactive or remission.
/// </summary>
public sealed record Diagnosis(
    ConditionCategory Category,
    string System,
    string Code,
    string? Display,
    bool IsActive,
    string? ClinicalStatus,
    string? VerificationStatus,
    DateTimeOffset? When,
    string Source
);

public enum DrugClass
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
    CalciumChannelBlockerDihydropyridine,
}

public sealed record MedicationUse(
    DrugClass Class,
    string System,
    string Code,
    string? Display,
    DateTimeOffset? When,
    string? Status,
    string Source
);

public sealed record EncounterVisit(DateTimeOffset? When, string? Class, IReadOnlyList<string> Reasons, string Source);

/// <summary>A note's text with where it came from. Language is ISO 639-1 (es, ca, eu, gl, en).</summary>
public sealed record ClinicalNote(
    string Text,
    string Language,
    double LanguageConfidence,
    bool LanguageDeclared,
    DateTimeOffset? When,
    string? AuthorRole,
    string Source,
    string Origin
);

/// <summary>
/// A note that exists but could not be read (URL only, unsupported type, too large): recorded, never dropped silently.
/// </summary>
public sealed record UnreadNote(string Source, string Reason);

/// <summary>
/// A recorded death that had happened by the as-of date: Patient.deceasedBoolean true (On unknown) or
/// Patient.deceasedDateTime on or before it. Source is the Patient resource.
/// </summary>
public sealed record Death(DateOnly? On, string Source);

/// <summary>Everything an HF screen uses about one patient, as known on <see cref="AsOf"/>.</summary>
public sealed record PatientRecord(
    string PatientReference,
    DateOnly AsOf,
    DateOnly? BirthDate,
    Sex Sex,
    IReadOnlyList<Measurement> Measurements,
    IReadOnlyList<Diagnosis> Diagnoses,
    IReadOnlyList<MedicationUse> Medications,
    IReadOnlyList<EncounterVisit> Encounters,
    IReadOnlyList<ClinicalNote> Notes,
    IReadOnlyList<UnreadNote> UnreadNotes
)
{
    /// <summary>
    /// Set when the patient had died by <see cref="AsOf"/>: such a patient is not screened (no RiskAssessment, no
    /// Flag), and cohort jobs leave them out and count them. A death recorded after AsOf leaves this null: the record
    /// is screened as it stood then.
    /// </summary>
    public Death? Death { get; init; }

    public bool IsDeceased => Death is not null;

    /// <summary>
    /// The language most of the notes are written in (declared, else detected; the latest note breaks ties), or null
    /// when there are no notes.
    /// </summary>
    public string? NotesLanguage => MajorityLanguage(Notes);

    public static string? MajorityLanguage(IReadOnlyList<ClinicalNote> notes) =>
        notes
            .GroupBy(n => n.Language, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenByDescending(g => g.Max(n => n.When ?? DateTimeOffset.MinValue))
            .Select(g => g.Key)
            .FirstOrDefault();

    /// <summary>The patient's GP and practice (Patient.generalPractitioner / managingOrganization).</summary>
    public PatientAttribution Attribution { get; init; } = PatientAttribution.None;

    public int? AgeYears =>
        BirthDate is { } born ? AsOf.Year - born.Year - (AsOf < born.AddYears(AsOf.Year - born.Year) ? 1 : 0) : null;

    public IEnumerable<Diagnosis> ActiveHeartFailure =>
        Diagnoses.Where(d => d.Category == ConditionCategory.HeartFailure && d.IsActive);

    public IEnumerable<Measurement> Of(MeasurementKind kind) => Measurements.Where(m => m.Kind == kind);
}
