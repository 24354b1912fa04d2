using Clinical.Models.Scoring;
using Clinical.Models.Scoring.Evidence;
using Clinical.Models.Scoring.Wording;
using Clinical.Models.Tabular;
using Clinical.Models.Tests.Scoring.Evidence;
using Clinical.Tests;

namespace Clinical.Models.Tests.Scoring;

public sealed class GuidelineFloorTests
{
    private static readonly Lazy<StackedCombiner> Committed = new(() =>
        StackedCombiner.Load(FixtureFiles.PathOf("models", "hf-tabular"))
    );

    private static readonly Lazy<RiskEngine> Engine = new(() =>
        new RiskEngine(TabularModel.Load(FixtureFiles.PathOf("models", "hf-tabular")), null, Committed.Value)
    );

    private static RiskInput Input(int age = 80, PeptideResult[]? peptides = null, VitalValue[]? lvefs = null) =>
        GuidelineEvidenceTests.Patient(age, peptides) with
        {
            Vitals = lvefs ?? [],
        };

    private static VitalValue Lvef(double percent, int monthsAgo, string source = "Observation/echo") =>
        new(VitalKind.Lvef, percent, GuidelineEvidenceTests.MonthsAgo(monthsAgo), source);

    private static GuidelineFloor? Floor(RiskInput input) => GuidelineFloor.Of(input, GuidelineEvidence.Assess(input));

    [Fact]
    public void Given_any_learned_probabilities_When_the_floor_holds_Then_the_level_is_at_least_moderate_and_reads_so()
    {
        // Whatever the learned components say, including the most reassuring, for every pattern of components.
        var combiner = Committed.Value;
        var floor = Floor(Input(peptides: [GuidelineEvidenceTests.NtProBnp(437, 6)]))!;
        var random = new Random(12);
        double Any() => random.Next(4) == 0 ? 1e-6 : random.NextDouble();
        for (var i = 0; i < 20_000; i++)
        {
            var components = new ComponentProbabilities(
                Any(),
                random.Next(3) == 0 ? null : Any(),
                random.Next(2) == 0 ? null : Any()
            )
            {
                RecentPeptide = random.Next(2) == 0,
            };

            var decision = combiner.Decide(components, floor);

            Assert.True(decision.Category >= RiskCategory.Moderate, $"{components}: {decision}");
            Assert.Equal(decision.Category, combiner.Categorise(decision.Probability));
            Assert.True(Math.Round(decision.Probability, 4) >= combiner.Thresholds.Moderate, decision.ToString());
            if (decision.Floor!.Decided)
                Assert.True(Math.Round(decision.Probability, 4) < combiner.Thresholds.High, decision.ToString());
        }
    }

    [Fact]
    public void Given_floored_patients_When_placed_in_the_moderate_band_Then_their_learned_order_is_kept()
    {
        var combiner = Committed.Value;
        var floor = Floor(Input(lvefs: [Lvef(39, 3)]))!;
        var learned = Enumerable.Range(0, 200).Select(i => i * combiner.Thresholds.Moderate / 200).ToList();

        var shown = learned
            .Select(p => floor.Apply(p, combiner))
            .Select(d => (d.Probability, d.Category, d.Floor!.Decided))
            .ToList();

        Assert.All(shown, s => Assert.Equal((RiskCategory.Moderate, true), (s.Category, s.Decided)));
        Assert.Equal(shown.Select(s => s.Probability).Order(), shown.Select(s => s.Probability));
        Assert.Equal(shown.Count, shown.Select(s => Math.Round(s.Probability, 4)).Distinct().Count());
    }

    [Fact]
    public void Given_a_learned_probability_above_moderate_When_the_floor_holds_Then_it_stands_and_does_not_decide()
    {
        var combiner = Committed.Value;
        var floor = Floor(Input(peptides: [GuidelineEvidenceTests.NtProBnp(3000, 1)]))!;

        var decision = floor.Apply(0.9, combiner);

        Assert.Equal(
            (0.9, RiskCategory.High, false),
            (decision.Probability, decision.Category, decision.Floor!.Decided)
        );
    }

    [Theory]
    [InlineData(124.9, 39, 3, 60.0, 1, false)] // normal peptide, reduced LVEF superseded by a later normal one
    [InlineData(124.9, 39, 3, 60.0, 6, true)] // the normal LVEF came before the reduced one
    [InlineData(124.9, 49, 3, null, 0, true)] // mildly reduced is enough
    [InlineData(124.9, 50, 3, null, 0, false)] // preserved
    [InlineData(125, 55, 3, null, 0, true)] // the ESC non-acute threshold
    public void Given_peptide_and_LVEFs_When_the_floor_is_assessed_Then_ESC_criteria_decide(
        double ntProBnp,
        double lvef,
        int lvefMonthsAgo,
        double? otherLvef,
        int otherMonthsAgo,
        bool floored
    )
    {
        VitalValue[] lvefs = otherLvef is { } other
            ? [Lvef(lvef, lvefMonthsAgo), Lvef(other, otherMonthsAgo, "Observation/echo-2")]
            : [Lvef(lvef, lvefMonthsAgo)];

        var floor = Floor(Input(peptides: [GuidelineEvidenceTests.NtProBnp(ntProBnp, 1)], lvefs: lvefs));

        Assert.Equal(floored, floor is not null);
    }

    [Fact]
    public void Given_a_normal_LVEF_the_same_day_or_an_undated_reduced_one_When_assessed_Then_the_floor_holds()
    {
        var sameDay = Floor(Input(lvefs: [Lvef(38, 2), Lvef(55, 2, "Observation/echo-2")]));
        var undated = Floor(
            Input(lvefs: [new VitalValue(VitalKind.Lvef, 35, null, "Observation/old"), Lvef(60, 2, "Observation/new")])
        );

        Assert.Equal("Observation/echo", Assert.Single(sameDay!.Criteria).Source);
        Assert.Equal("Observation/old", Assert.Single(undated!.Criteria).Source);
    }

    [Fact]
    public void Given_a_raised_peptide_followed_by_a_normal_one_When_assessed_Then_the_latest_decides_no_floor()
    {
        var floor = Floor(
            Input(
                peptides:
                [
                    GuidelineEvidenceTests.NtProBnp(437, 8, "Observation/old"),
                    GuidelineEvidenceTests.NtProBnp(90, 2, "Observation/new"),
                ]
            )
        );

        Assert.Null(floor);
    }

    [Fact]
    public void Given_BNP_35_or_an_HF_diagnosis_When_assessed_Then_BNP_floors_and_the_diagnosis_is_certain_instead()
    {
        var bnp = new PeptideResult(PeptideKind.Bnp, 35, null, GuidelineEvidenceTests.MonthsAgo(2), "Observation/bnp");
        var diagnosed = Input(peptides: [bnp]) with
        {
            HeartFailureDiagnoses = [new KnownDiagnosis("IC", GuidelineEvidenceTests.MonthsAgo(20), "Condition/ic")],
        };

        Assert.NotNull(Floor(Input(peptides: [bnp])));
        Assert.Null(Floor(diagnosed));
        Assert.Equal(RiskCategory.Certain, Engine.Value.Assess(diagnosed).Category);
    }

    [Fact]
    public void Given_a_raised_NT_proBNP_three_years_old_When_assessed_Then_moderate_with_low_confidence_and_repeat()
    {
        var estimate = Engine.Value.Assess(Input(age: 58, peptides: [GuidelineEvidenceTests.NtProBnp(437, 38)]));

        Assert.True(estimate.Category >= RiskCategory.Moderate, estimate.Rationale);
        Assert.Equal(Confidence.Low, estimate.Confidence);
        Assert.Equal(3, Assert.IsType<PeptideFact>(Assert.Single(estimate.OldEvidence)).YearsOld);
        var explanation = RiskWording.Spanish.Explanation(estimate);
        Assert.Contains("Confianza baja: NT-proBNP de hace 3 años: repetir.", explanation, StringComparison.Ordinal);
        Assert.Contains(
            estimate.Findings,
            f => RiskWording.Spanish.Describe(f).EndsWith(", de hace 3 años: repetir", StringComparison.Ordinal)
        );
        Assert.Contains("the floor rests on old evidence", estimate.Rationale, StringComparison.Ordinal);
        Assert.Contains(
            "Confiança baixa: NT-proBNP de fa 3 anys: repetir.",
            RiskWording.For("ca").Explanation(estimate),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Given_the_floor_decides_When_assessed_Then_rationale_and_explanation_say_so()
    {
        var estimate = Engine.Value.Assess(
            Input(peptides: [GuidelineEvidenceTests.NtProBnp(437, 6)], lvefs: [Lvef(39, 5)])
        );

        Assert.Equal(RiskCategory.Moderate, estimate.Category);
        Assert.True(estimate.Floor!.Decided, estimate.Rationale);
        Assert.Matches(
            @"GUIDELINE FLOOR decided the level: NT-proBNP 437 pg/mL >= 125 \(Observation/n\)",
            estimate.Rationale
        );
        Assert.Contains("LVEF 39 % <= 49 % (Observation/echo)", estimate.Rationale, StringComparison.Ordinal);
        Assert.Contains(
            "Criterio de la guía ESC 2021 sin diagnóstico de IC: NT-proBNP 437 pg/mL (30/12/2025) ≥ 125 y "
                + "FEVI 39 % (30/01/2026) ≤ 49 %; el riesgo es como mínimo moderado (nivel fijado por este criterio).",
            RiskWording.Spanish.Explanation(estimate),
            StringComparison.Ordinal
        );
        Assert.Equal(Confidence.Normal, estimate.Confidence);
    }
}
