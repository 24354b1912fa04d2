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
/// A fact that moved the estimate, with the resource it came from. Weight is its log-odds push (for ranking;
/// negative argues against HF); for a note, SpanStart/SpanLength locate the words in the note text. The words a
/// clinician reads come from <see cref="Wording.RiskWording"/>, in their language.
/// </summary>
public sealed record Finding(string Source, EvidenceFact Fact)
{
    public DateTimeOffset? When => Fact.When;

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
/// The engine's answer, as values: the probability and level, the ranked findings, the points of the explanation
/// (Summary), what is missing, the guideline floor when it applies and, for low confidence, the old evidence it rests
/// on. Rationale is a short technical line (English, for the RiskAssessment); everything a clinician reads is worded
/// by <see cref="Wording.RiskWording"/>.
/// </summary>
public sealed record RiskEstimate(
    double Probability,
    RiskCategory Category,
    IReadOnlyList<Finding> Findings,
    string Rationale,
    IReadOnlyList<MissingData> Missing,
    string ModelName,
    string ModelVersion
)
{
    public IReadOnlyList<ComponentScore> Components { get; init; } = [];

    public Confidence Confidence { get; init; } = Confidence.Normal;

    /// <summary>The explanation's points, in order (for known HF: the first diagnosis).</summary>
    public IReadOnlyList<EvidenceFact> Summary { get; init; } = [];

    /// <summary>The note classifier's probability, when it ran.</summary>
    public double? NotesProbability { get; init; }

    /// <summary>The guideline floor, when the record meets it (whether or not it decided the level).</summary>
    public FloorDecision? Floor { get; init; }

    /// <summary>Evidence older than it should be, which lowers the confidence (each says to repeat it).</summary>
    public IReadOnlyList<EvidenceFact> OldEvidence { get; init; } = [];
}
