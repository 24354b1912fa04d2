using Clinical.Models.Evaluation;
using Clinical.Models.Scoring;
using Clinical.Models.Scoring.Evidence;
using Clinical.Models.Tabular;

namespace Clinical.Api.Features.Cohorts;

/// <summary>A case with its features, each component's probability and the guideline floor when it meets it.</summary>
public sealed record ScoredCase(
    CohortCase Case,
    float[] Features,
    ComponentProbabilities Components,
    GuidelineFloor? Floor
);

internal static class CohortScoring
{
    public static ScoredCase Score(CohortCase @case, RiskEngine engine)
    {
        var evidence = GuidelineEvidence.Assess(@case.Input);
        var (components, _) = engine.Components(@case.Input, evidence);
        return new ScoredCase(
            @case,
            TabularFeatures.Build(@case.Input, evidence),
            components,
            GuidelineFloor.Of(@case.Input, evidence)
        );
    }

    /// <summary>The engine's decision for a case: the combination, then the guideline floor.</summary>
    public static RiskDecision Decide(ScoredCase scored, RiskEngine engine) =>
        engine.Decide(scored.Components, scored.Floor);

    /// <summary>1 for a positive case, 0 otherwise, in order.</summary>
    public static int[] Labels(IEnumerable<ScoredCase> cases) => cases.Select(c => c.Case.Positive ? 1 : 0).ToArray();

    public static SplitMetrics Metrics(IReadOnlyList<ScoredCase> cases, Func<ScoredCase, double> score)
    {
        var labels = Labels(cases);
        var scores = cases.Select(score).ToList();
        return new(
            labels.Length,
            labels.Count(l => l == 1),
            Math.Round(BinaryMetrics.Auroc(labels, scores), 4),
            Math.Round(BinaryMetrics.AveragePrecision(labels, scores), 4),
            Math.Round(BinaryMetrics.Brier(labels, scores), 4)
        );
    }
}
