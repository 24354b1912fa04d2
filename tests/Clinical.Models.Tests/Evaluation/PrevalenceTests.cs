using Clinical.Models.Evaluation;
using Clinical.Models.Scoring;
using Clinical.Models.Tabular;
using Clinical.Tests;

namespace Clinical.Models.Tests.Evaluation;

public sealed class PrevalenceTests
{
    private static double Logit(double p) => Math.Log(p / (1 - p));

    [Fact]
    public void Given_even_odds_at_a_20_percent_prevalence_When_shifted_to_2_percent_Then_the_odds_fall_to_4_in_49()
    {
        // Odds 1 · (0.02 / 0.98) / (0.2 / 0.8) = (1/49) / (1/4) = 4/49, so p' = 4/53.
        Assert.Equal(4.0 / 53, BinaryMetrics.ShiftPrior(0.5, 0.2, 0.02), 15);
    }

    [Theory]
    [InlineData(0.3, 0.2, 0.01)]
    [InlineData(0.97, 0.25, 0.02)]
    [InlineData(0.001, 0.1, 0.5)]
    public void Given_a_probability_When_shifted_Then_its_logit_moves_by_the_difference_of_prior_logits(
        double p,
        double from,
        double to
    )
    {
        var shifted = BinaryMetrics.ShiftPrior(p, from, to);

        Assert.Equal(Logit(p) + Logit(to) - Logit(from), Logit(shifted), 9);
        Assert.Equal(p, BinaryMetrics.ShiftPrior(shifted, to, from), 12);
    }

    [Fact]
    public void Given_certain_probabilities_or_a_bad_prevalence_When_shifted_Then_0_and_1_stay_and_bad_values_throw()
    {
        Assert.Equal(0, BinaryMetrics.ShiftPrior(0, 0.2, 0.01));
        Assert.Equal(1, BinaryMetrics.ShiftPrior(1, 0.2, 0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinaryMetrics.ShiftPrior(0.5, 0, 0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinaryMetrics.ShiftPrior(0.5, 0.2, 1));
    }

    [Fact]
    public void Given_sensitivity_and_specificity_When_moved_to_2_percent_Then_ppv_and_npv_follow_bayes_rule()
    {
        // PPV = 0.9·0.02 / (0.9·0.02 + 0.05·0.98) = 0.018 / 0.067; NPV = 0.95·0.98 / (0.95·0.98 + 0.1·0.02).
        Assert.Equal(0.018 / 0.067, BinaryMetrics.PpvAt(0.9, 0.95, 0.02), 15);
        Assert.Equal(0.931 / 0.933, BinaryMetrics.NpvAt(0.9, 0.95, 0.02), 15);
    }

    /// <summary>
    /// Calibrated by construction at the set's own share (9 / 20): flagged cases say 0.8 and 8 of 10 are positive;
    /// the others say 0.1 and 1 of 10 is.
    /// </summary>
    private static readonly int[] CalibratedLabels = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static readonly double[] CalibratedScores = [.. Enumerable.Repeat(0.8, 10), .. Enumerable.Repeat(0.1, 10)];

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.02)]
    public void Given_calibrated_probabilities_When_shifted_Then_the_predicted_ppv_and_npv_equal_bayes(double p)
    {
        // sens 8/9, spec 9/11; the shifted 0.8 has odds 4 · odds(P) / (9/11) = 44·odds(P)/9, as Bayes gives.
        var expectedPpv = BinaryMetrics.PpvAt(8.0 / 9, 9.0 / 11, p);
        var expectedNpv = BinaryMetrics.NpvAt(8.0 / 9, 9.0 / 11, p);

        Assert.Equal(expectedPpv, BinaryMetrics.ShiftedPpv(CalibratedLabels, CalibratedScores, 0.5, 0.45, p), 12);
        Assert.Equal(expectedNpv, BinaryMetrics.ShiftedNpv(CalibratedLabels, CalibratedScores, 0.5, 0.45, p), 12);
        var estimate = PrevalenceEstimate.Compute(
            CalibratedLabels,
            CalibratedScores,
            0.5,
            p,
            new CalibratedPrevalence(0.45, "test")
        );
        Assert.Equal(expectedPpv, estimate.Ppv.Estimate, 12);
        Assert.Equal(expectedPpv, estimate.PpvFromProbabilities.Estimate, 12);
        Assert.Equal(0, estimate.PpvGap.Estimate, 12);
        Assert.True(estimate.Agree);
        Assert.Equal(BinaryMetrics.ShiftPrior(0.5, 0.45, p), estimate.ShiftedThreshold, 15);
    }

    [Fact]
    public void Given_the_engines_own_decisions_When_estimated_Then_a_case_flagged_below_threshold_counts_as_flagged()
    {
        // The unflagged positive (0.1) is flagged by a guideline floor: sensitivity 9/9 where the threshold gives 8/9.
        bool[] decisions = [.. CalibratedScores.Select(s => s >= 0.5)];
        decisions[10] = true;

        var byThreshold = PrevalenceEstimate.Compute(
            CalibratedLabels,
            CalibratedScores,
            0.5,
            0.02,
            new CalibratedPrevalence(0.45, "test")
        );
        var byDecision = PrevalenceEstimate.Compute(
            CalibratedLabels,
            CalibratedScores,
            0.5,
            0.02,
            new CalibratedPrevalence(0.45, "test"),
            decisions
        );

        Assert.Equal(8.0 / 9, byThreshold.Sensitivity.Estimate, 12);
        Assert.Equal(1.0, byDecision.Sensitivity.Estimate, 12);
        Assert.Equal(9.0 / 11, byDecision.Specificity.Estimate, 12);
        Assert.Throws<ArgumentException>(() =>
            PrevalenceEstimate.Compute(
                CalibratedLabels,
                CalibratedScores,
                0.5,
                0.02,
                new CalibratedPrevalence(0.45, "test"),
                decisions[..5]
            )
        );
    }

    [Fact]
    public void Given_overconfident_probabilities_When_shifted_Then_the_two_ppvs_disagree_beyond_sampling_error()
    {
        // Flagged cases say 0.95 but half are negative: the shifted probabilities promise far more than Bayes finds.
        int[] labels = [.. Enumerable.Range(0, 200).Select(i => i % 2), .. Enumerable.Repeat(0, 200)];
        double[] scores = [.. Enumerable.Repeat(0.95, 200), .. Enumerable.Repeat(0.05, 200)];

        var estimate = PrevalenceEstimate.Compute(labels, scores, 0.5, 0.02, new CalibratedPrevalence(0.25, "test"));

        Assert.False(estimate.Agree);
        Assert.True(estimate.PpvGap.Lower > 0, estimate.PpvGap.ToString());
        Assert.Contains("sampling error on PPV (", estimate.DisagreementLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_stated_or_recorded_prevalence_When_choosing_Then_the_stated_wins_and_neither_is_bad_input()
    {
        var recorded = new CalibratedPrevalence(0.2, "card");

        Assert.Equal(0.05, CalibratedPrevalence.Choose(0.05, recorded, "the model").Value);
        Assert.Equal(recorded, CalibratedPrevalence.Choose(null, recorded, "the model"));
        var missing = Assert.Throws<ArgumentException>(() => CalibratedPrevalence.Choose(null, null, "the model"));
        Assert.Contains("--calibrated-at", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_committed_cards_When_read_Then_the_dev_shares_they_record_are_the_calibration_prevalences()
    {
        var tabular = FixtureFiles.PathOf("models", "hf-tabular");
        var engine = CalibratedPrevalence.OfEngine(StackedCombiner.Load(tabular), TabularModelCard.Load(tabular));
        var notes = CalibratedPrevalence.OfNoteClassifier(FixtureFiles.PathOf("models", "hf-note-classifier"));

        // stacking.json records the share of the dev split it was calibrated on: card.json's 158 of 802 patients.
        Assert.Equal(158.0 / 802, engine!.Value, 15);
        Assert.Contains("stacking.json calibrationPrevalence", engine.Source, StringComparison.Ordinal);
        // model-card.json's calibration.prevalence: the early-stopping set's 94 positive of 418 notes.
        Assert.Equal(94.0 / 418, notes!.Value, 15);
        Assert.Contains("calibration.prevalence", notes.Source, StringComparison.Ordinal);
        Assert.Null(CalibratedPrevalence.OfEngine(StackedCombiner.Default, null));
    }

    [Fact]
    public void Given_a_card_with_only_counts_When_read_Then_its_dev_share_is_used_unless_recalibrated_elsewhere()
    {
        var folder = Directory.CreateTempSubdirectory("note-card-").FullName;
        try
        {
            var card = Path.Combine(folder, "model-card.json");
            File.WriteAllText(
                card,
                """
                {"counts": {"train": 100, "train_positives": 20, "dev": 40, "dev_positives": 10},
                 "training": {"dev_fingerprint": "sha256:a"},
                 "recalibrated": {"dev_fingerprint": "sha256:a"}}
                """
            );
            Assert.Equal(0.25, CalibratedPrevalence.OfNoteClassifier(folder)!.Value);

            File.WriteAllText(
                card,
                File.ReadAllText(card).Replace("\"sha256:a\"}}", "\"sha256:b\"}}", StringComparison.Ordinal)
            );
            Assert.Null(CalibratedPrevalence.OfNoteClassifier(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Given_a_fitted_stack_When_saved_and_loaded_Then_it_records_the_dev_share_it_was_calibrated_at()
    {
        var random = new Random(5);
        var dev = Enumerable
            .Range(0, 200)
            .Select(i => new ComponentProbabilities(
                i % 4 == 0 ? 0.6 + random.NextDouble() * 0.3 : random.NextDouble() * 0.5,
                null,
                null
            ))
            .ToList();
        var labels = Enumerable.Range(0, 200).Select(i => i % 4 == 0).ToList();
        var folder = Directory.CreateTempSubdirectory("stacking-").FullName;
        try
        {
            StackedCombiner.Fit(dev, labels).Save(folder);
            var loaded = StackedCombiner.Load(folder);

            Assert.Equal(0.25, loaded.CalibrationPrevalence);
            Assert.Equal("stacking.json calibrationPrevalence", CalibratedPrevalence.OfEngine(loaded, null)!.Source);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
