using Clinical.Models.Evaluation;
using Clinical.Models.Scoring;
using Clinical.Models.Scoring.Evidence;
using Clinical.Models.Tabular;

namespace Clinical.Api.Features.Cohorts;

/// <summary>A case with its features and each component's probability.</summary>
public sealed record ScoredCase(CohortCase Case, float[] Features, ComponentProbabilities Components);

internal static class CohortScoring
{
    public static ScoredCase Score(CohortCase @case, RiskEngine engine)
    {
        var evidence = GuidelineEvidence.Assess(@case.Input);
        var (components, _) = engine.Components(@case.Input, evidence);
        return new ScoredCase(@case, TabularFeatures.Build(@case.Input, evidence), components);
    }

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
