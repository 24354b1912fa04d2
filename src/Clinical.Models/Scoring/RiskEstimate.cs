namespace Clinical.Models.Scoring;

/// <summary>negligible, low, moderate, high, certain — certain means HF is already diagnosed.</summary>
public enum RiskCategory
{
    Negligible,
    Low,
    Moderate,
    High,
    Certain,
}

/// <summary>
/// A fact that moved the estimate, with where it came from. Weight is its log-odds push (for ranking;
/// negative argues against HF); for a note, SpanStart/SpanLength locate the words in the note text.
/// </summary>
public sealed record Finding(string Source, string Description, DateTimeOffset? When)
{
    public double Weight { get; init; }

    public int? SpanStart { get; init; }

    public int? SpanLength { get; init; }
}

/// <summary>
/// One component's own probability (rules, tabular, notes) before the combination; null Probability means the component
/// was absent.
/// </summary>
public sealed record ComponentScore(string Component, double? Probability, string Detail);

public enum Confidence
{
    Normal,
    Low,
}

/// <summary>
/// The engine's answer. Rationale is a short technical line (English, for the RiskAssessment);
/// Explanation is for the clinician, in Spanish. Missing lists what would sharpen the estimate.
/// </summary>
public sealed record RiskEstimate(
    double Probability,
    RiskCategory Category,
    IReadOnlyList<Finding> Findings,
    string Rationale,
    string Explanation,
    IReadOnlyList<string> Missing,
    string ModelName,
    string ModelVersion
)
{
    public IReadOnlyList<ComponentScore> Components { get; init; } = [];

    public Confidence Confidence { get; init; } = Confidence.Normal;
}
