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
/// One fact the risk rests on, pointing at the resource it came from (and for notes, the character span).
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
    string Explanation,
    ModelIdentity Model
)
{
    public bool FlagsPossibleUndiagnosedHeartFailure => Level is RiskLevel.High or RiskLevel.Moderate;
}
