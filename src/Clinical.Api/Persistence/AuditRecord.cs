namespace Clinical.Api.Persistence;

/// <summary>Who did what to which patients' data, when, and how it ended. Never holds note text or names.</summary>
public sealed class AuditRecord
{
    public Guid Id { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public required string Actor { get; set; }

    public required string Action { get; set; }

    public required string Outcome { get; set; }

    public string PatientReferences { get; set; } = "";

    public string? CorrelationId { get; set; }
}
