using Clinical.Models.Evaluation;
using Clinical.Models.Scoring;

namespace Clinical.Models.Tests.Scoring;

public sealed class StackedCombinerTests
{
    private static double Auroc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels) =>
        BinaryMetrics.Auroc(labels.Select(l => l ? 1 : 0).ToList(), scores);

    private static (List<ComponentProbabilities> Rows, List<bool> Labels) Synthetic(
        int count,
        int seed,
        double signal = 1.0
    )
    {
        var random = new Random(seed);
        var rows = new List<ComponentProbabilities>();
        var labels = new List<bool>();
        for (var i = 0; i < count; i++)
        {
            var label = random.NextDouble() < 0.3;
            double Noisy(double signal) =>
                1 / (1 + Math.Exp(-((label ? signal : -signal) + 2 * (random.NextDouble() - 0.5) * 3)));
            rows.Add(new ComponentProbabilities(Noisy(signal), Noisy(signal), i % 3 == 0 ? null : Noisy(signal)));
            labels.Add(label);
        }
        return (rows, labels);
    }

    [Fact]
    public void Given_three_noisy_components_When_stacked_on_dev_Then_the_stack_ranks_test_better_than_each_alone()
    {
        var (dev, devLabels) = Synthetic(2000, 1);
        var (test, testLabels) = Synthetic(2000, 2);

        var combiner = StackedCombiner.Fit(dev, devLabels);

        var combined = Auroc(test.Select(combiner.Combine).ToList(), testLabels);
        var rulesAlone = Auroc(test.Select(t => t.Rules).ToList(), testLabels);
        Assert.True(combined > rulesAlone + 0.03, $"combined {combined:0.000}, rules {rulesAlone:0.000}");
        Assert.Contains(combiner.Fits, f => f.Pattern == "rules+tabular+notes");
        Assert.Contains(combiner.Fits, f => f.Pattern == "rules+tabular");
    }

    [Fact]
    public void Given_components_as_weak_as_noise_allows_When_stacked_Then_high_starts_where_hf_is_more_likely()
    {
        var (dev, labels) = Synthetic(2000, 1);

        var thresholds = StackedCombiner.Fit(dev, labels).Thresholds;

        Assert.True(thresholds.Moderate < 0.5, $"moderate {thresholds.Moderate}");
        Assert.Equal(0.5, thresholds.High);
    }

    [Fact]
    public void Given_components_so_sharp_the_flag_cut_passes_one_half_When_stacked_Then_the_moderate_band_is_kept()
    {
        var (dev, labels) = Synthetic(2000, 1, signal: 2);

        var combiner = StackedCombiner.Fit(dev, labels);

        var (moderate, high) = (combiner.Thresholds.Moderate, combiner.Thresholds.High);
        Assert.True(moderate >= 0.5, $"moderate {moderate}");
        // Both cut-offs are rounded down to the 4 decimals a RiskAssessment shows.
        Assert.InRange(high, moderate + (1 - moderate) / 2 - 0.0001, moderate + (1 - moderate) / 2 + 0.0001);
        Assert.Equal(RiskCategory.Moderate, combiner.Categorise(moderate));
        Assert.Equal(RiskCategory.High, combiner.Categorise(high));
    }

    [Fact]
    public void Given_noisy_rules_without_a_recent_peptide_When_stacked_Then_those_patients_rank_by_tabular()
    {
        (List<ComponentProbabilities>, List<bool>) Rows(int seed)
        {
            var random = new Random(seed);
            var rows = new List<ComponentProbabilities>();
            var labels = new List<bool>();
            for (var i = 0; i < 3000; i++)
            {
                var label = random.NextDouble() < 0.3;
                var recent = i % 2 == 0;
                var sign = label ? 1.0 : -1.0;
                var rules =
                    1
                    / (
                        1
                        + Math.Exp(
                            -(recent ? 2.5 * sign : 2.5 * (random.NextDouble() < 0.5 ? 1 : -1))
                                - random.NextDouble()
                                - 0.5
                        )
                    );
                var tabular = 1 / (1 + Math.Exp(-(sign + 3 * (random.NextDouble() - 0.5))));
                rows.Add(new ComponentProbabilities(rules, tabular, null) { RecentPeptide = recent });
                labels.Add(label);
            }
            return (rows, labels);
        }
        var (dev, devLabels) = Rows(7);
        var (test, testLabels) = Rows(8);

        var combiner = StackedCombiner.Fit(dev, devLabels);

        var without = Enumerable.Range(0, test.Count).Where(i => !test[i].RecentPeptide).ToList();
        var combined = Auroc(
            without.Select(i => combiner.Combine(test[i])).ToList(),
            without.Select(i => testLabels[i]).ToList()
        );
        var averaged = Auroc(
            without.Select(i => StackedCombiner.Default.Combine(test[i])).ToList(),
            without.Select(i => testLabels[i]).ToList()
        );
        var tabular = Auroc(
            without.Select(i => test[i].Tabular!.Value).ToList(),
            without.Select(i => testLabels[i]).ToList()
        );
        Assert.True(
            combined > averaged + 0.05,
            $"stacked {combined:0.000}, averaged {averaged:0.000}, tabular {tabular:0.000}, "
                + $"w {string.Join(",", combiner.Fits[0].Weights.Select(w => w.ToString("0.00")))} "
                + $"{combiner.Fits[0].Pattern}"
        );
        Assert.True(combined > tabular - 0.01, $"stacked {combined:0.000}, tabular {tabular:0.000}");
    }

    [Fact]
    public void Given_a_fitted_combiner_When_saved_and_loaded_Then_it_gives_the_same_probabilities()
    {
        var (dev, labels) = Synthetic(600, 3);
        var combiner = StackedCombiner.Fit(dev, labels);
        var folder = Directory.CreateTempSubdirectory("stacking-").FullName;
        try
        {
            combiner.Save(folder);
            var loaded = StackedCombiner.Load(folder);

            Assert.Equal(dev.Select(combiner.Combine), dev.Select(loaded.Combine));
            Assert.Equal(combiner.Thresholds, loaded.Thresholds);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Given_a_pattern_never_fitted_When_combined_Then_the_documented_default_averages_the_logits()
    {
        var p = StackedCombiner.Default.Combine(new ComponentProbabilities(0.2, 0.8, null));

        Assert.Equal(0.5, p, 10);
    }
}
