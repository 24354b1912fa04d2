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

    public static SplitMetrics Metrics(IReadOnlyList<double> scores, IReadOnlyList<bool> labels) =>
        new(
            labels.Count,
            labels.Count(l => l),
            Math.Round(Models.Evaluation.ResampledMetrics.Auroc(scores, labels), 4),
            Math.Round(Models.Evaluation.ResampledMetrics.Auprc(scores, labels), 4),
            Math.Round(Models.Evaluation.ResampledMetrics.Brier(scores, labels), 4)
        );
}
