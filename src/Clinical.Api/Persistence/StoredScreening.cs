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

    /// <summary>
    /// Bumped by every change to the flag (status, review); the dashboard sends back the version it showed, and a
    /// change made meanwhile by someone else is refused (optimistic concurrency).
    /// </summary>
    public int Version { get; set; }

    /// <summary>What a clinician decided in review: null (pending), confirmed or dismissed.</summary>
    public string? ReviewState { get; set; }

    /// <summary>False once a later screening of the same patient exists; the worklist shows the latest only.</summary>
    public bool IsLatest { get; set; } = true;

    /// <summary>
    /// Attribution: the patient's GP (Patient.generalPractitioner) and practice (managingOrganization).
    /// </summary>
    public string? GeneralPractitioner { get; set; }

    public string? Practice { get; set; }

    public string? PracticeName { get; set; }

    /// <summary>For the worklist: the patient's name (PHI, never logged), age on AsOf and sex.</summary>
    public string? PatientName { get; set; }

    public int? AgeYears { get; set; }

    public string? Sex { get; set; }

    /// <summary>
    /// For a flagged patient, what the review page shows beyond the FHIR resources: the natriuretic peptide and weight
    /// series, the note passages around sign mentions, the engine's findings, components and missing data (JSON).
    /// </summary>
    public string? ReviewJson { get; set; }

    public required string ProvenanceJson { get; set; }

    /// <summary>
    /// For a flagged patient, the notes summary as a DocumentReference (extractive unless a summariser model is
    /// configured).
    /// </summary>
    public string? SummaryJson { get; set; }
}
