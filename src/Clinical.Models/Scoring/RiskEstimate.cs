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

/// <summary>A fact that moved the estimate, with where it came from.</summary>
public sealed record Finding(string Source, string Description, DateTimeOffset? When);

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
    string ModelVersion);
