namespace Clinical.Models.Language;

/// <summary>
/// What a note can mention that bears on heart failure: HF itself, its symptoms and signs (ESC 2021 HF guideline,
/// Table 5) and the tests and findings a summary ranks by.
/// </summary>
public enum ClinicalConcept
{
    HeartFailure,
    ExertionalDyspnoea,
    Orthopnoea,
    ParoxysmalNocturnalDyspnoea,
    Oedema,
    Crackles,
    RaisedJugularPressure,
    WeightGain,
    Nocturia,
    Fatigue,
    ThirdHeartSound,
    NatriureticPeptide,
    Echocardiogram,
    Cardiomegaly,
    PleuralEffusion,
    AtrialFibrillation,
}

/// <summary>
/// How a mention stands, after ConText (Harkema et al., J Biomed Inform 2009;42:839), which extends NegEx with
/// hypothetical, historical and experiencer values. One value per mention, the first that applies in this order:
/// <see cref="Family"/>, <see cref="Negated"/>, <see cref="Hypothetical"/>, <see cref="Hedged"/>,
/// <see cref="Historical"/>, <see cref="Affirmed"/>.
/// </summary>
public enum Assertion
{
    /// <summary>Present in the patient now: "refiere ortopnea", "IC con FEVI 35 %".</summary>
    Affirmed,

    /// <summary>Denied or ruled out: "niega ortopnea", "descarta edemas", "IC descartada", "edemarik ez".</summary>
    Negated,

    /// <summary>Uncertain: "probable IC", "sospecha de IC", "IC a descartar", "descartar ICC".</summary>
    Hedged,

    /// <summary>Possible in the future or conditional: "riesgo de IC", "consultar si aparecen edemas".</summary>
    Hypothetical,

    /// <summary>In the patient's past: "antecedentes de IC", "edemas hace 2 años", "IC previa".</summary>
    Historical,

    /// <summary>About a relative, not the patient: "madre con IC", "antecedentes familiares de IC".</summary>
    Family,
}

public static class ClinicalConcepts
{
    /// <summary>
    /// The symptoms and signs the risk engine weighs, in the order of its tabular features (changing the order
    /// changes the feature schema of the committed tabular model).
    /// </summary>
    public static readonly IReadOnlyList<ClinicalConcept> ScoredSigns =
    [
        ClinicalConcept.ExertionalDyspnoea,
        ClinicalConcept.Orthopnoea,
        ClinicalConcept.ParoxysmalNocturnalDyspnoea,
        ClinicalConcept.Oedema,
        ClinicalConcept.Crackles,
        ClinicalConcept.RaisedJugularPressure,
        ClinicalConcept.WeightGain,
        ClinicalConcept.Nocturia,
        ClinicalConcept.Fatigue,
    ];

    public static bool IsScoredSign(this ClinicalConcept concept) => ScoredSigns.Contains(concept);

    /// <summary>Orthopnoea, PND, crackles and raised jugular pressure: the more specific signs (ESC 2021 Table 5).
    /// </summary>
    public static bool IsSpecificSign(this ClinicalConcept concept) =>
        concept
            is ClinicalConcept.Orthopnoea
                or ClinicalConcept.ParoxysmalNocturnalDyspnoea
                or ClinicalConcept.Crackles
                or ClinicalConcept.RaisedJugularPressure;
}
