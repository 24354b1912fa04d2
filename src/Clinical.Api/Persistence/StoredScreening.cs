namespace Clinical.Api.Persistence;

/// <summary>
/// One patient's screening result as emitted: the FHIR resources verbatim plus the fields searched on.
/// </summary>
public sealed class StoredScreening
{
    public Guid Id { get; set; }

    public required string PatientReference { get; set; }

    public DateOnly AsOf { get; set; }

    public DateTimeOffset ScreenedAt { get; set; }

    public double Probability { get; set; }

    public required string QualitativeRisk { get; set; }

    public bool Flagged { get; set; }

    public required string ModelName { get; set; }

    public required string ModelVersion { get; set; }

    public required string RiskAssessmentJson { get; set; }

    public string? FlagJson { get; set; }

    /// <summary>
    /// The Flag's id when one was raised, and its current status (active, inactive, entered-in-error).
    /// </summary>
    public string? FlagId { get; set; }

    public string? FlagStatus { get; set; }

    public required string ProvenanceJson { get; set; }

    /// <summary>
    /// The cohort run that produced this result (also its resources' meta.tag); null for one-off screenings.
    /// </summary>
    public string? RunId { get; set; }

    /// <summary>
    /// For a flagged patient, the notes summary as a DocumentReference (extractive unless a summariser model is
    /// configured).
    /// </summary>
    public string? SummaryJson { get; set; }
}
