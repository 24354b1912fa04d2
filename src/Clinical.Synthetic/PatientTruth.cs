using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic;

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
    IReadOnlyList<ConditionCategory> Comorbidities,
    IReadOnlyList<HfMimic> Mimics
);
