namespace Clinical.Models.Summaries;

public enum SummaryKind
{
    Extractive,
    Abstractive,
}

/// <summary>
/// A summary as shown to the GP: its text (already grounded), how it was made (model, version, prompt version),
/// the grounding report, warnings (e.g. the model timed out and the extractive summary was used) and the source
/// references it drew on.
/// </summary>
public sealed record PatientSummary(
    string PatientReference,
    string Text,
    SummaryKind Kind,
    string Language,
    string ModelName,
    string ModelVersion,
    string PromptVersion,
    GroundingReport Grounding,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Sources
);

/// <summary>
/// How a summary is produced. The defaults follow the ALIA instruct cards: greedy decoding, no repetition penalty.
/// </summary>
public sealed record SummaryOptions
{
    public int MaxNewTokens { get; init; } = 384;

    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Tokens of note sentences the prompt may hold (also capped by the model's context).</summary>
    public int EvidenceTokenBudget { get; init; } = 1500;

    public GroundingMode Grounding { get; init; } = GroundingMode.Remove;
}
