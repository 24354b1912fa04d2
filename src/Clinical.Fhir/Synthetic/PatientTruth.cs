namespace Clinical.Fhir.Synthetic;

public enum HfStatus
{
    None,
    Undiagnosed,
    Diagnosed,
}

public enum HfPhenotype
{
    HFrEF,
    HFmrEF,
    HFpEF,
}

public enum Comorbidity
{
    Hypertension,
    Diabetes,
    AtrialFibrillation,
    Obesity,
    ChronicKidneyDisease,
    Copd,
    IschaemicHeartDisease,
}

/// <summary>Conditions that produce HF-like signs (dyspnoea, oedema, raised NT-proBNP) without HF.</summary>
public enum HfMimic
{
    CopdExacerbation,
    AmlodipineOedema,
    Obesity,
    Anaemia,
    VenousInsufficiency,
    ChronicKidneyDisease,
    AtrialFibrillation,
}

/// <summary>What was generated for one patient: the line of truth.ndjson.</summary>
public sealed record PatientTruth(
    string PatientId,
    HfStatus HfStatus,
    DateOnly? OnsetDate,
    DateOnly? DiagnosisDate,
    HfPhenotype? Phenotype,
    IReadOnlyList<Comorbidity> Comorbidities,
    IReadOnlyList<HfMimic> Mimics);
