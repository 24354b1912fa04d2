namespace Clinical.Api.Persistence;

/// <summary>
/// One step in a Flag's status history (e.g. active → inactive when a clinician closes it), with who and why.
/// </summary>
public sealed class FlagStatusChange
{
    public Guid Id { get; set; }

    public required string FlagId { get; set; }

    public required string From { get; set; }

    public required string To { get; set; }

    public string? Reason { get; set; }

    /// <summary>A coded dismissal reason (the dashboard's list); null when the reason was free text only.</summary>
    public string? ReasonCode { get; set; }

    public required string Actor { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}
