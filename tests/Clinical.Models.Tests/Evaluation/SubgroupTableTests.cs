using Clinical.Models.Evaluation;

namespace Clinical.Models.Tests.Evaluation;

public sealed class SubgroupTableTests
{
    /// <summary>
    /// Cases of one subgroup with exact counts at threshold 0.5: called positives score 0.9, missed ones 0.1, false
    /// positives 0.8, true negatives 0.2 (so every positive outscores every negative but the missed ones).
    /// </summary>
    private static IEnumerable<(int Label, double Score, Subgroup Group)> Cases(
        Subgroup group,
        int truePositives,
        int falseNegatives,
        int trueNegatives,
        int falsePositives
    ) =>
        Enumerable
            .Repeat((1, 0.9, group), truePositives)
            .Concat(Enumerable.Repeat((1, 0.1, group), falseNegatives))
            .Concat(Enumerable.Repeat((0, 0.2, group), trueNegatives))
            .Concat(Enumerable.Repeat((0, 0.8, group), falsePositives));

    private static SubgroupTable Table(IEnumerable<(int Label, double Score, Subgroup Group)> cases)
    {
        var list = cases.ToList();
        return SubgroupTable.Compute(
            list.Select(c => c.Label).ToArray(),
            list.Select(c => c.Score).ToArray(),
            0.5,
            list.Select(c => (IReadOnlyList<Subgroup>)[c.Group]).ToList()
        );
    }

    private static readonly Subgroup Female = Subgroup.OfSex("female");
    private static readonly Subgroup Male = Subgroup.OfSex("male");

    [Fact]
    public void Given_two_groups_with_known_counts_When_tabulated_Then_each_row_has_its_rates_and_intervals()
    {
        // Women: TP 40, FN 10, TN 90, FP 10. Men: TP 30, FN 20, TN 95, FP 5.
        var table = Table(Cases(Female, 40, 10, 90, 10).Concat(Cases(Male, 30, 20, 95, 5)));

        var women = table.Rows.Single(r => r.Group == "female");
        Assert.Equal((150, 50), (women.Cases, women.Positives));
        Assert.Equal(0.8, women.Sensitivity, 12);
        Assert.Equal(0.9, women.Specificity, 12);
        Assert.Equal(0.8, women.Ppv, 12);
        // Missed positives (0.1) lose to all 100 negatives; called ones (0.9) beat all: 40·100 / (50·100).
        Assert.Equal(0.8, women.Auroc, 12);
        var men = table.Rows.Single(r => r.Group == "male");
        Assert.Equal(0.6, men.Sensitivity, 12);
        Assert.Equal(0.95, men.Specificity, 12);
        Assert.Equal(30.0 / 35, men.Ppv, 12);
        Assert.Equal(0.7, table.Overall.Sensitivity, 12);
        Assert.Equal(-0.1, men.SensitivityGap, 12);
        Assert.Equal(0.1, women.SensitivityGap, 12);
        Assert.All(
            new[] { women, men },
            r =>
            {
                Assert.NotNull(r.Ci95);
                Assert.InRange(r.Sensitivity, r.Ci95!.Sensitivity[0], r.Ci95.Sensitivity[1]);
                Assert.InRange(r.Specificity, r.Ci95.Specificity[0], r.Ci95.Specificity[1]);
                Assert.InRange(r.SensitivityGap, r.Ci95.SensitivityGap![0], r.Ci95.SensitivityGap[1]);
            }
        );
        Assert.Equal(["sex female", "sex male"], table.Rows.Select(r => r.Label));
    }

    [Fact]
    public void Given_a_group_missing_a_third_of_its_positives_When_tabulated_Then_it_warns_and_the_others_do_not()
    {
        // Sensitivity 1.0 in women, 0.6 in men: overall 0.8, men 20 points below, far outside sampling error.
        var table = Table(Cases(Female, 100, 0, 100, 0).Concat(Cases(Male, 60, 40, 100, 0)));

        var men = table.Rows.Single(r => r.Group == "male");
        Assert.True(men.Warning);
        Assert.Equal(-0.2, men.SensitivityGap, 12);
        Assert.True(men.Ci95!.SensitivityGap![1] < 0);
        Assert.False(table.Rows.Single(r => r.Group == "female").Warning);
        var line = table.WarningLine();
        Assert.NotNull(line);
        Assert.Contains("sex male: 0.600", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        Assert.Contains("sensitivity below overall", table.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_groups_with_equal_sensitivity_When_tabulated_Then_nothing_warns()
    {
        var table = Table(Cases(Female, 80, 20, 100, 0).Concat(Cases(Male, 80, 20, 90, 10)));

        Assert.All(table.Rows, r => Assert.False(r.Warning));
        Assert.Null(table.WarningLine());
    }

    [Fact]
    public void Given_a_gap_of_ten_points_or_less_When_tabulated_Then_it_does_not_warn_however_certain()
    {
        // Men 0.74 against an overall 0.82: 8 points below, with a CI below zero, is not enough to warn.
        var table = Table(Cases(Female, 450, 50, 500, 0).Concat(Cases(Male, 370, 130, 500, 0)));

        var men = table.Rows.Single(r => r.Group == "male");
        Assert.Equal(-0.08, men.SensitivityGap, 12);
        Assert.True(men.Ci95!.SensitivityGap![1] < 0);
        Assert.False(men.Warning);
    }

    [Fact]
    public void Given_a_group_below_the_minimum_When_tabulated_Then_it_has_n_and_figures_but_no_interval_or_warning()
    {
        // Basque notes: 10 positives, none found; too few to test, so no warning whatever the gap.
        var basque = new Subgroup(Subgroup.Language, "eu");
        var table = Table(
            Cases(new Subgroup(Subgroup.Language, "es"), 100, 0, 100, 0).Concat(Cases(basque, 0, 10, 100, 0))
        );

        var row = table.Rows.Single(r => r.Group == "eu");
        Assert.Equal((110, 10), (row.Cases, row.Positives));
        Assert.Equal(0, row.Sensitivity);
        Assert.Null(row.Ci95);
        Assert.False(row.Warning);
        Assert.Contains(
            "| note language eu | 110 | 10 | 0.000 | 1.000 |",
            table.ToMarkdown(),
            StringComparison.Ordinal
        );
        Assert.Contains(
            $"fewer than {SubgroupTable.DefaultMinimumPerClass} positives",
            table.Method,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Given_ages_and_languages_When_grouped_Then_bands_follow_the_stated_limits_and_report_order()
    {
        Assert.Equal(
            ["< 65", "65–74", "65–74", "75–84", "75–84", "≥ 85", "unknown"],
            new int?[] { 64, 65, 74, 75, 84, 85, null }.Select(a => Subgroup.OfAge(a).Name)
        );
        Assert.Equal(["es", "ca"], Subgroup.OfLanguages(["es", "ca", "es"]).Select(g => g.Name));
        Assert.Equal(["unknown"], Subgroup.OfLanguages([]).Select(g => g.Name));
        Subgroup[] shuffled =
        [
            new(Subgroup.Language, "ca"),
            Subgroup.OfAge(90),
            Subgroup.OfSex(null),
            Subgroup.OfAge(50),
            Subgroup.OfSex("male"),
            new(Subgroup.Language, "none"),
            Subgroup.OfAge(70),
        ];
        Assert.Equal(
            ["sex male", "sex unknown", "age < 65", "age 65–74", "age ≥ 85", "note language ca", "note language none"],
            Subgroup.InReportOrder(shuffled).Select(g => g.ToString())
        );
    }

    [Fact]
    public void Given_a_subset_When_its_paired_difference_is_bootstrapped_Then_the_estimate_is_subset_minus_all()
    {
        int[] labels = [1, 1, 1, 1, 0, 0, 1, 1, 0, 0];
        double[] scores = [0.9, 0.9, 0.1, 0.1, 0.2, 0.2, 0.9, 0.9, 0.2, 0.8];
        bool[] first = [true, true, true, true, true, true, false, false, false, false];
        Func<IReadOnlyList<int>, IReadOnlyList<double>, double> sensitivity = (l, s) =>
            BinaryMetrics.Confusion(l, s, 0.5).Sensitivity;

        var differences = BinaryMetrics.SubsetDifferences(
            labels,
            scores,
            [first, [.. labels.Select(_ => true)]],
            sensitivity
        );

        // First half: 2 of 4 positives; all: 4 of 6.
        Assert.Equal(0.5 - 4.0 / 6, differences[0].Estimate, 12);
        Assert.Equal(new Interval(0, 0, 0), differences[1]);
    }
}
