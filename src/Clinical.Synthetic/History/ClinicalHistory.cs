using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic.History;

internal enum CareRole
{
    Physician,
    Nurse,
}

internal enum Sign
{
    ExertionalDyspnoea,
    Orthopnoea,
    NocturnalDyspnoea,
    AnkleOedema,
    Nocturia,
    Fatigue,
    WeightGain,
    Cough,
    Wheeze,
    Palpitations,
}

internal enum VisitReason
{
    ChronicReview,
    BloodPressureCheck,
    DiabetesReview,
    LabReview,
    Symptoms,
    CopdExacerbation,
    HfDiagnosis,
    HfFollowUp,
    Prescription,
    Acute,
}

internal enum AcuteProblem
{
    LowBackPain,
    UrinaryInfection,
    UpperRespiratoryInfection,
    Anxiety,
    KneePain,
    Dermatitis,
    Insomnia,
    Gastroenteritis,
    FluVaccine,
}

internal enum Impression
{
    SuspectedHf,
    AmlodipineOedema,
    CopdExacerbation,
    VenousInsufficiency,
    ObesityDyspnoea,
    AnaemiaWorkup,
    HfDiagnosed,
    KnownHfStable,
    KnownHfWorse,
    AfControl,
    CkdFollowUp,
    HfRuledOut,
    StableChronic,
}

internal enum PlanItem
{
    RequestNtProBnp,
    RequestEcho,
    ReferCardiology,
    StartLoopDiuretic,
    AdjustDiuretic,
    LowSaltDiet,
    DailyWeights,
    CompressionStockings,
    ReviewAmlodipine,
    Bronchodilator,
    IronStudies,
    FollowUp,
}

internal enum LabTest
{
    NtProBnp,
    Bnp,
    Egfr,
    Creatinine,
    Potassium,
    Sodium,
    Haemoglobin,
}

/// <summary>A lab result in canonical units: pg/mL, mL/min/1.73 m², mg/dL, mmol/L, g/dL.</summary>
internal sealed record LabResult(LabTest Test, double Value, DateTime Drawn);

internal sealed record Vitals(
    double WeightKg,
    double Bmi,
    int Systolic,
    int Diastolic,
    int HeartRate,
    int OxygenSaturation
);

internal sealed record ClinicalVisit
{
    public required int Ordinal { get; init; }
    public required DateTime Start { get; init; }
    public required CareRole Author { get; init; }
    public required VisitReason Reason { get; init; }
    public AcuteProblem? Acute { get; init; }
    public Vitals? Vitals { get; init; }
    public IReadOnlyList<LabResult> Labs { get; init; } = [];
    public IReadOnlyList<Sign> Present { get; init; } = [];
    public IReadOnlyList<Sign> Denied { get; init; } = [];
    public bool Crackles { get; init; }
    public bool IrregularPulse { get; init; }
    public bool JugularDistension { get; init; }
    public bool PittingOedema { get; init; }
    public double WeightChangeKg { get; init; }
    public IReadOnlyList<Impression> Impressions { get; init; } = [];
    public IReadOnlyList<PlanItem> Plan { get; init; } = [];
    public int FollowUpWeeks { get; init; }
    public double? EchoLvef { get; init; }
    public bool WriteNote { get; init; }
}

internal enum Drug
{
    Furosemide,
    Torasemide,
    Spironolactone,
    Eplerenone,
    Bisoprolol,
    Carvedilol,
    Nebivolol,
    Metoprolol,
    Enalapril,
    Ramipril,
    Losartan,
    Valsartan,
    SacubitrilValsartan,
    Dapagliflozin,
    Empagliflozin,
    Amlodipine,
    Hydrochlorothiazide,
    Metformin,
    Apixaban,
    Acenocoumarol,
    Digoxin,
    Atorvastatin,
    Salbutamol,
    Tiotropium,
    FerrousSulfate,
}

internal sealed record MedicationCourse(Drug Drug, DateOnly Start, DateOnly? End);

internal sealed record LabConventions(
    bool NtProBnpInPmol,
    bool NtProBnpInNgPerL,
    bool CreatinineInMicromol,
    bool EgfrByCkdEpi,
    bool BnpLaboratory
);

/// <summary>Everything generated for one person over the history window, before it becomes FHIR.</summary>
internal sealed record ClinicalHistory(
    Person Person,
    IReadOnlyList<ClinicalVisit> Visits,
    IReadOnlyList<MedicationCourse> Medications,
    LabConventions Labs,
    IReadOnlyDictionary<ConditionCategory, bool> CodedComorbidities,
    bool AnaemiaCoded,
    bool VenousInsufficiencyCoded
);
