using Clinical.Models.Evaluation;

namespace Clinical.Models.Tests.Training;

public sealed class BinaryMetricsTests
{
    // Four cases worked by hand: positives score 0.8 and 0.4, negatives 0.6 and 0.2.
    private static readonly int[] Labels = [1, 0, 1, 0];
    private static readonly double[] Scores = [0.8, 0.6, 0.4, 0.2];

    [Fact]
    public void Given_four_cases_When_computing_auroc_Then_it_is_the_share_of_correctly_ordered_pairs()
    {
        // Pairs (pos, neg): (0.8, 0.6) ok, (0.8, 0.2) ok, (0.4, 0.6) wrong, (0.4, 0.2) ok → 3/4.
        Assert.Equal(0.75, BinaryMetrics.Auroc(Labels, Scores), 12);
    }

    [Fact]
    public void Given_tied_scores_When_computing_auroc_Then_a_tie_counts_one_half()
    {
        Assert.Equal(0.5, BinaryMetrics.Auroc([1, 0], [0.3, 0.3]), 12);
        // pos 0.5 vs neg 0.5 (tie, 1/2) and neg 0.1 (1) → (1 + 0.5) / 2.
        Assert.Equal(0.75, BinaryMetrics.Auroc([1, 0, 0], [0.5, 0.5, 0.1]), 12);
    }

    [Fact]
    public void Given_four_cases_When_computing_average_precision_Then_it_weights_precision_by_recall_gained()
    {
        // Threshold 0.8: recall 1/2, precision 1; threshold 0.4: recall 1, precision 2/3 → 0.5·1 + 0.5·2/3.
        Assert.Equal(0.5 + 1.0 / 3, BinaryMetrics.AveragePrecision(Labels, Scores), 12);
    }

    [Fact]
    public void Given_a_threshold_When_counting_Then_sensitivity_specificity_ppv_npv_f1_follow_the_confusion_matrix()
    {
        var confusion = BinaryMetrics.Confusion(Labels, Scores, 0.5);
        Assert.Equal(new ConfusionMatrix(1, 1, 1, 1), confusion);
        Assert.Equal(0.5, confusion.Sensitivity);
        Assert.Equal(0.5, confusion.Specificity);
        Assert.Equal(0.5, confusion.PositivePredictiveValue);
        Assert.Equal(0.5, confusion.NegativePredictiveValue);
        Assert.Equal(0.5, confusion.F1);

        var low = BinaryMetrics.Confusion(Labels, Scores, 0.4);
        Assert.Equal(new ConfusionMatrix(2, 1, 1, 0), low);
        Assert.Equal(2.0 / 3, low.PositivePredictiveValue, 12);
        Assert.Equal(0.8, low.F1, 12);
    }

    [Fact]
    public void Given_probabilities_When_computing_brier_Then_it_is_the_mean_squared_error()
    {
        // (0.2² + 0.6² + 0.6² + 0.2²) / 4 = 0.8 / 4.
        Assert.Equal(0.2, BinaryMetrics.Brier(Labels, Scores), 12);
    }

    [Fact]
    public void Given_probabilities_When_computing_ece_Then_bins_weigh_the_gap_between_confidence_and_outcome()
    {
        // Bins: [0.2,0.3) {0.2:0} gap 0.2; [0.4,0.5) {0.4:1} gap 0.6; [0.6,0.7) {0.6:0} gap 0.6; [0.8,0.9) {0.8:1} gap
        // 0.2 → mean 0.4.
        Assert.Equal(0.4, BinaryMetrics.ExpectedCalibrationError(Labels, Scores), 12);
        // One bin [0.7, 0.8) holding 0.75, 0.75 with outcomes 1, 0: |0.5 − 0.75| = 0.25.
        Assert.Equal(0.25, BinaryMetrics.ExpectedCalibrationError([1, 0], [0.75, 0.75]), 12);
        // A probability of exactly 1 falls in the last bin.
        Assert.Equal(0, BinaryMetrics.ExpectedCalibrationError([1], [1.0]), 12);
    }

    [Fact]
    public void Given_a_seed_When_bootstrapping_auroc_Then_the_interval_is_repeatable_and_brackets_the_estimate()
    {
        var random = new Random(5);
        var labels = Enumerable.Range(0, 200).Select(i => i % 3 == 0 ? 1 : 0).ToArray();
        var scores = labels.Select(l => l + random.NextDouble() * 1.5).ToArray();
        var auc = BinaryMetrics.Auroc(labels, scores);
        var first = BinaryMetrics.BootstrapAurocInterval(labels, scores, seed: 11);
        Assert.Equal(first, BinaryMetrics.BootstrapAurocInterval(labels, scores, seed: 11));
        Assert.NotEqual(first, BinaryMetrics.BootstrapAurocInterval(labels, scores, seed: 12));
        Assert.InRange(auc, first.Low, first.High);
        Assert.True(first.High - first.Low is > 0 and < 0.2);
    }

    [Fact]
    public void Given_sorted_values_When_taking_percentiles_Then_they_interpolate_linearly_between_ranks()
    {
        Assert.Equal(2.5, BinaryMetrics.Percentile([1.0, 2, 3, 4], 0.5), 12);
        Assert.Equal(1.15, BinaryMetrics.Percentile([1.0, 2, 3, 4], 0.05), 12);
    }

    [Fact]
    public void Given_one_class_only_When_computing_auroc_Then_it_is_undefined()
    {
        Assert.True(double.IsNaN(BinaryMetrics.Auroc([0, 0], [0.1, 0.9])));
        Assert.Throws<ArgumentException>(() => BinaryMetrics.Auroc([1, 2], [0.1, 0.9]));
    }
}
