using Clinical.Models.Evaluation;

namespace Clinical.Models.Tests.Evaluation;

public sealed class ResampledMetricsTests
{
    private static readonly double[] Scores = [0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2];
    private static readonly bool[] Labels = [true, true, false, true, false, false, true, false];

    [Fact]
    public void Given_scores_When_AUROC_is_computed_Then_it_is_the_share_of_correctly_ordered_pairs()
    {
        var pairs = 0.0;
        var correct = 0.0;
        for (var i = 0; i < Scores.Length; i++)
        for (var j = 0; j < Scores.Length; j++)
            if (Labels[i] && !Labels[j])
            {
                pairs++;
                correct += Scores[i] > Scores[j] ? 1 : 0;
            }

        Assert.Equal(correct / pairs, ResampledMetrics.Auroc(Scores, Labels), 10);
    }

    [Fact]
    public void Given_scores_When_AUPRC_is_computed_Then_it_is_average_precision_over_the_positives()
    {
        var expected = (1.0 / 1 + 2.0 / 2 + 3.0 / 4 + 4.0 / 7) / 4;

        Assert.Equal(expected, ResampledMetrics.Auprc(Scores, Labels), 10);
    }

    [Fact]
    public void Given_a_threshold_for_75_percent_sensitivity_When_applied_Then_it_reaches_that_sensitivity()
    {
        var threshold = ResampledMetrics.ThresholdForSensitivity(Scores, Labels, 0.75);
        var point = ResampledMetrics.At(Scores, Labels, threshold);

        Assert.Equal(0.6, threshold);
        Assert.Equal(0.75, point.Sensitivity);
        Assert.Equal(0.75, point.Specificity);
    }

    [Fact]
    public void Given_a_bootstrap_When_computed_Then_the_interval_contains_the_estimate()
    {
        var interval = ResampledMetrics.Bootstrap(Scores, Labels, ResampledMetrics.Auroc, resamples: 200);

        Assert.InRange(interval.Estimate, interval.Lower, interval.Upper);
        Assert.True(interval.Upper > interval.Lower);
    }
}
