namespace Clinical.Fhir.Output;

/// <summary>Qualitative risk, as http://terminology.hl7.org/CodeSystem/risk-probability codes it.</summary>
public enum RiskLevel
{
    Negligible,
    Low,
    Moderate,
    High,
    Certain,
}

/// <summary>
/// One fact the risk rests on, pointing at the resource it came from (and for notes, the character span); the
/// description is worded in the report's language.
/// </summary>
public sealed record EvidenceItem(
    string Reference,
    string Description,
    DateTimeOffset? When,
    int? SpanStart = null,
    int? SpanLength = null
);

public sealed record ModelIdentity(string Name, string Version);

/// <summary>
/// What a clinician reads in the emitted resources, already worded in the report's language (ISO 639-1: es, ca, gl,
/// eu) by the risk engine's phrase table: the explanation; the note (explanation and evidence, Markdown); the texts of
/// the outcome, the qualitative risk and the Flag; and the RiskAssessment's title for documents that refer to it.
/// </summary>
public sealed record ReportText(
    string Language,
    string Explanation,
    string Note,
    string Outcome,
    string Level,
    string Flag,
    string RiskAssessmentTitle
);

/// <summary>
/// A screening result in plain terms, ready to be written as FHIR. Contract: Certain = HF already
/// diagnosed (no Flag); High/Moderate = possible undiagnosed HF (Flag); Low/Negligible = not suspected.
/// </summary>
public sealed record ScreeningReport(
    string PatientReference,
    DateOnly AsOf,
    DateTimeOffset ScreenedAt,
    decimal Probability,
    RiskLevel Level,
    IReadOnlyList<EvidenceItem> Evidence,
    string Rationale,
    ReportText Text,
    ModelIdentity Model
)
{
    public bool FlagsPossibleUndiagnosedHeartFailure => Level is RiskLevel.High or RiskLevel.Moderate;
}
