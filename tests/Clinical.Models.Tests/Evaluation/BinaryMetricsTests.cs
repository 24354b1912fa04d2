using System.Text.Json;
using Clinical.Models.Evaluation;

namespace Clinical.Models.Tests.Evaluation;

public sealed class BinaryMetricsTests
{
    // Four cases worked by hand: positives score 0.8 and 0.4, negatives 0.6 and 0.2.
    private static readonly int[] Labels = [1, 0, 1, 0];
    private static readonly double[] Scores = [0.8, 0.6, 0.4, 0.2];

    private static readonly JsonSerializerOptions CamelCase = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

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
        var first = BinaryMetrics.Bootstrap(labels, scores, BinaryMetrics.Auroc, seed: 11);
        Assert.Equal(first, BinaryMetrics.Bootstrap(labels, scores, BinaryMetrics.Auroc, seed: 11));
        Assert.NotEqual(first, BinaryMetrics.Bootstrap(labels, scores, BinaryMetrics.Auroc, seed: 12));
        Assert.Equal(BinaryMetrics.Auroc(labels, scores), first.Estimate);
        Assert.InRange(first.Estimate, first.Lower, first.Upper);
        Assert.True(first.Upper - first.Lower is > 0 and < 0.2);
    }

    [Fact]
    public void Given_resampled_metrics_When_bounding_them_Then_the_bounds_are_numpy_linear_percentiles()
    {
        // The bounds must be Percentile(sorted resampled values, 0.025 / 0.975): recompute those values by hand with
        // the same generator (each resample draws n indices in order) and compare.
        var random = new Random(5);
        var labels = Enumerable.Range(0, 60).Select(i => i % 3 == 0 ? 1 : 0).ToArray();
        var scores = labels.Select(l => l + random.NextDouble() * 1.5).ToArray();
        var generator = new Random(7);
        var values = new List<double>();
        for (var r = 0; r < 50; r++)
        {
            var pick = Enumerable.Range(0, labels.Length).Select(_ => generator.Next(labels.Length)).ToArray();
            var auc = BinaryMetrics.Auroc(pick.Select(i => labels[i]).ToList(), pick.Select(i => scores[i]).ToList());
            if (!double.IsNaN(auc))
                values.Add(auc);
        }
        values.Sort();

        var interval = BinaryMetrics.Bootstrap(labels, scores, BinaryMetrics.Auroc, resamples: 50, seed: 7);

        Assert.Equal(BinaryMetrics.Percentile(values, 0.025), interval.Lower, 12);
        Assert.Equal(BinaryMetrics.Percentile(values, 0.975), interval.Upper, 12);
    }

    [Fact]
    public void Given_two_scores_When_bootstrapping_their_difference_Then_it_is_paired_on_the_same_cases()
    {
        var random = new Random(5);
        var labels = Enumerable.Range(0, 200).Select(i => i % 3 == 0 ? 1 : 0).ToArray();
        var scores = labels.Select(l => l + random.NextDouble() * 1.5).ToArray();

        var same = BinaryMetrics.PairedDifference(labels, scores, scores, BinaryMetrics.AveragePrecision);
        var noisier = BinaryMetrics.PairedDifference(
            labels,
            scores,
            scores.Select(s => s + random.NextDouble()).ToArray(),
            BinaryMetrics.AveragePrecision
        );

        // Paired resamples of one score against itself differ by exactly zero every time.
        Assert.Equal(new Interval(0, 0, 0), same);
        Assert.True(noisier.Estimate > 0);
        Assert.InRange(noisier.Estimate, noisier.Lower, noisier.Upper);
    }

    [Fact]
    public void Given_sorted_values_When_taking_percentiles_Then_they_interpolate_linearly_between_ranks()
    {
        Assert.Equal(2.5, BinaryMetrics.Percentile([1.0, 2, 3, 4], 0.5), 12);
        Assert.Equal(1.15, BinaryMetrics.Percentile([1.0, 2, 3, 4], 0.05), 12);
    }

    [Fact]
    public void Given_a_target_sensitivity_When_choosing_the_threshold_Then_it_is_the_highest_that_reaches_it()
    {
        double[] probabilities = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05];
        int[] labels = [1, 1, 0, 1, 0, 1, 0, 1, 0, 0];
        // Five positives: 90 % needs ⌈4.5⌉ = 5 of them → the lowest positive score, 0.2.
        Assert.Equal(0.2, BinaryMetrics.ThresholdForSensitivity(labels, probabilities, 0.9));
        // 60 % needs 3 → 0.6.
        Assert.Equal(0.6, BinaryMetrics.ThresholdForSensitivity(labels, probabilities, 0.6));
        var point = BinaryMetrics.At(labels, probabilities, 0.6);
        Assert.Equal(0.6, point.Sensitivity);
        Assert.Equal(0.8, point.Specificity);
    }

    [Fact]
    public void Given_100_positives_When_asking_for_55_percent_sensitivity_Then_55_suffice_despite_rounding()
    {
        // 0.55 · 100 is 55.00000000000001 in doubles: a plain ceiling would demand 56 positives.
        var labels = Enumerable.Repeat(1, 100).Append(0).ToArray();
        var scores = Enumerable.Range(0, 100).Select(i => 100.0 - i).Append(0.0).ToArray();

        Assert.Equal(46, BinaryMetrics.ThresholdForSensitivity(labels, scores, 0.55));
    }

    [Fact]
    public void Given_ten_negatives_When_fixing_specificity_at_90_percent_Then_positives_above_the_ninth_count()
    {
        // Negatives 0.0 … 0.9: the cut keeping nine of them at or below it is 0.8; positives 0.85 and 0.95 pass it,
        // 0.5 does not.
        var labels = Enumerable.Repeat(0, 10).Concat([1, 1, 1]).ToArray();
        var scores = Enumerable.Range(0, 10).Select(i => i / 10.0).Concat([0.5, 0.85, 0.95]).ToArray();

        Assert.Equal(2.0 / 3, BinaryMetrics.SensitivityAtSpecificity(labels, scores, 0.9), 12);
    }

    [Fact]
    public void Given_counts_at_a_threshold_When_reported_as_JSON_Then_the_field_names_are_the_published_ones()
    {
        var counts = new ConfusionMatrix(3, 1, 4, 2);

        // model-card.json's dev_metrics.confusion and evaluate-cohort's atOperatingThreshold.
        Assert.Equal("""{"tp":3,"fp":1,"tn":4,"fn":2}""", JsonSerializer.Serialize(counts));
        Assert.Equal(
            """{"threshold":0.5,"sensitivity":0.6,"specificity":0.8,"ppv":0.75,"npv":0.6666666666666666}""",
            JsonSerializer.Serialize(new OperatingPoint(0.5, counts), CamelCase)
        );
    }

    [Fact]
    public void Given_one_class_only_When_computing_auroc_Then_it_is_undefined()
    {
        Assert.True(double.IsNaN(BinaryMetrics.Auroc([0, 0], [0.1, 0.9])));
        Assert.Throws<ArgumentException>(() => BinaryMetrics.Auroc([1, 2], [0.1, 0.9]));
    }
}
