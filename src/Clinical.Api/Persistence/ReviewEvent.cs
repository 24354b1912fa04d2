namespace Clinical.Api.Persistence;

/// <summary>
/// A clinician's review action on a flag from the dashboard: confirm (with the draft ServiceRequest), dismiss,
/// reopen or a note. Comment is clinical free text: stored, never logged.
/// </summary>
public sealed class ReviewEvent
{
    public Guid Id { get; set; }

    public required string FlagId { get; set; }

    public required string PatientReference { get; set; }

    /// <summary>confirm, dismiss, reopen or note.</summary>
    public required string Kind { get; set; }

    public string? ReasonCode { get; set; }

    public string? Comment { get; set; }

    /// <summary>For confirm: the draft ServiceRequest as FHIR JSON.</summary>
    public string? ServiceRequestJson { get; set; }

    /// <summary>For confirm: what the EHR's FHIR server answered (posted, failed, not configured).</summary>
    public string? EhrOutcome { get; set; }

    public required string Actor { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>When a clinician last opened the worklist, for "new since your last visit".</summary>
public sealed class ClinicianVisit
{
    public required string Actor { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset? PreviousVisitAt { get; set; }
}
