namespace Clinical.Api.Persistence;

/// <summary>A card this service returned, so that feedback can be tied to its patient.</summary>
public sealed class IssuedCard
{
    public Guid Uuid { get; set; }

    public required string HookInstance { get; set; }

    public required string PatientReference { get; set; }

    public required string Indicator { get; set; }

    public DateTimeOffset IssuedAt { get; set; }
}

/// <summary>
/// What the clinician did with a card: accepted (which suggestions) or overridden (with which reason).
/// </summary>
public sealed class CardFeedback
{
    public Guid Id { get; set; }

    public Guid CardUuid { get; set; }

    public required string PatientReference { get; set; }

    public required string Outcome { get; set; }

    public string AcceptedSuggestions { get; set; } = "";

    public string? OverrideReasonCode { get; set; }

    public string? OverrideReasonSystem { get; set; }

    /// <summary>Free text from the clinician: clinical data, never logged.</summary>
    public string? UserComment { get; set; }

    public DateTimeOffset OutcomeTimestamp { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public required string Actor { get; set; }
}
