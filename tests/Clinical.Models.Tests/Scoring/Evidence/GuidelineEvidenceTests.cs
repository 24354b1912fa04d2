using Clinical.Models.Scoring;
using Clinical.Models.Scoring.Evidence;
using Clinical.Models.Scoring.Wording;

namespace Clinical.Models.Tests.Scoring.Evidence;

public sealed class GuidelineEvidenceTests
{
    internal static readonly DateOnly AsOf = new(2026, 6, 30);

    internal static DateTimeOffset MonthsAgo(int months) =>
        new DateTimeOffset(AsOf.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMonths(-months);

    internal static RiskInput Patient(int? age = 70, PeptideResult[]? peptides = null) =>
        new("Patient/p", AsOf, age, peptides ?? [], []);

    internal static PeptideResult NtProBnp(double value, int monthsAgo = 1, string source = "Observation/n") =>
        new(PeptideKind.NtProBnp, value, null, MonthsAgo(monthsAgo), source);

    [Theory]
    [InlineData(PeptideKind.NtProBnp, 125, true)]
    [InlineData(PeptideKind.NtProBnp, 124.9, false)]
    [InlineData(PeptideKind.Bnp, 35, true)]
    [InlineData(PeptideKind.Bnp, 34, false)]
    public void Given_a_peptide_When_assessed_Then_the_ESC_non_acute_threshold_decides(
        PeptideKind kind,
        double value,
        bool above
    )
    {
        var evidence = GuidelineEvidence.Assess(
            Patient(peptides: [new PeptideResult(kind, value, null, MonthsAgo(1), "Observation/x")])
        );

        Assert.Equal(above, evidence.Peptide!.AboveThreshold);
        Assert.Equal("Observation/x", evidence.Findings[0].Source);
    }

    [Fact]
    public void Given_two_NT_proBNP_values_When_assessed_Then_the_latest_decides_and_the_trend_is_reported()
    {
        var evidence = GuidelineEvidence.Assess(
            Patient(peptides: [NtProBnp(300, 2, "Observation/new"), NtProBnp(90, 14, "Observation/old")])
        );

        Assert.Equal("Observation/new", evidence.Peptide!.Latest.Source);
        Assert.Contains(
            "en aumento (previo 90 pg/mL",
            RiskWording.Spanish.Describe(evidence.Findings[0]),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Given_only_an_old_peptide_When_assessed_Then_confidence_is_low_and_a_recent_one_is_asked_for()
    {
        var evidence = GuidelineEvidence.Assess(Patient(peptides: [NtProBnp(60, 30)]));

        Assert.True(evidence.LowConfidence);
        Assert.Contains(MissingData.RecentPeptide, evidence.Missing);
        Assert.StartsWith(
            "NT-proBNP reciente",
            RiskWording.Spanish.Describe(MissingData.RecentPeptide),
            StringComparison.Ordinal
        );
    }

    [Theory]
    [InlineData(35, EjectionFractionCategory.Reduced)]
    [InlineData(40, EjectionFractionCategory.Reduced)]
    [InlineData(41, EjectionFractionCategory.MildlyReduced)]
    [InlineData(49, EjectionFractionCategory.MildlyReduced)]
    [InlineData(50, EjectionFractionCategory.Preserved)]
    public void Given_an_LVEF_When_categorised_Then_the_ESC_bands_apply(double lvef, EjectionFractionCategory expected)
    {
        var input = Patient() with
        {
            Vitals = [new VitalValue(VitalKind.Lvef, lvef, MonthsAgo(2), "Observation/echo")],
        };

        Assert.Equal(expected, GuidelineEvidence.Assess(input).Lvef!.Category);
    }

    [Fact]
    public void Given_obesity_AF_two_antihypertensives_and_age_When_H2FPEF_computed_Then_7_and_missing_echo_named()
    {
        var input = Patient(age: 72) with
        {
            Vitals = [new VitalValue(VitalKind.Bmi, 33, MonthsAgo(1), "Observation/bmi")],
            Comorbidities = [new ComorbidityFact(Comorbidity.AtrialFibrillation, "FA", MonthsAgo(12), "Condition/fa")],
            Treatments =
            [
                new TreatmentFact(Treatment.AceInhibitor, "enalapril", MonthsAgo(6), "MedicationStatement/a"),
                new TreatmentFact(
                    Treatment.DihydropyridineCalciumBlocker,
                    "amlodipino",
                    MonthsAgo(6),
                    "MedicationStatement/b"
                ),
            ],
        };

        var score = H2FpefScore.Compute(input);

        Assert.Equal(2 + 1 + 3 + 1, score.Points);
        Assert.Equal([H2FpefInput.PulmonaryArterySystolicPressure, H2FpefInput.FillingPressure], score.Missing);
        Assert.Equal(
            "H2FPEF ≥ 7/9 (IMC 33 > 30, 2 antihipertensivos, FA y edad 72 > 60; "
                + "faltan PAPS (ecocardiograma) y E/e' (ecocardiograma))",
            RiskWording.Spanish.Describe(score.Fact)
        );
    }

    [Fact]
    public void Given_no_BMI_and_no_age_When_H2FPEF_is_computed_Then_those_inputs_are_named_missing()
    {
        var score = H2FpefScore.Compute(Patient(age: null));

        Assert.Equal(0, score.Points);
        Assert.Contains(H2FpefInput.Bmi, score.Missing);
        Assert.Contains(H2FpefInput.Age, score.Missing);
    }

    [Fact]
    public void Given_a_loop_diuretic_without_CKD_When_assessed_Then_it_suggests_treated_HF_more_than_with_CKD()
    {
        var furosemide = new TreatmentFact(Treatment.LoopDiuretic, "furosemida", MonthsAgo(3), "MedicationStatement/f");
        var alone = GuidelineEvidence.Assess(Patient() with { Treatments = [furosemide] });
        var withCkd = GuidelineEvidence.Assess(
            Patient() with
            {
                Treatments = [furosemide],
                Comorbidities =
                [
                    new ComorbidityFact(Comorbidity.ChronicKidneyDisease, "ERC", MonthsAgo(20), "Condition/erc"),
                ],
            }
        );

        Assert.True(alone.LogOdds > withCkd.LogOdds);
        Assert.Contains(
            alone.Findings,
            f =>
                f.Source == "MedicationStatement/f"
                && RiskWording.Spanish.Describe(f).Contains("sin otra indicación", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void Given_notes_with_affirmed_and_denied_signs_When_assessed_Then_each_note_finding_carries_its_span()
    {
        const string text = "Refiere ortopnea. Sin edemas.";
        var input = Patient() with { Notes = [new NoteText(text, "es", MonthsAgo(1), "DocumentReference/d")] };

        var evidence = GuidelineEvidence.Assess(input);

        var notes = evidence.Findings.Where(f => f.Source == "DocumentReference/d").ToList();
        Assert.Equal(2, notes.Count);
        Assert.All(
            notes,
            f =>
                Assert.Contains(
                    text.Substring(f.SpanStart!.Value, f.SpanLength!.Value),
                    RiskWording.Spanish.Describe(f),
                    StringComparison.Ordinal
                )
        );
        Assert.True(notes.Single(f => Says(f, "ortopnea")).Weight > 0);
        Assert.True(notes.Single(f => Says(f, "edemas")).Weight < 0);
    }

    private static bool Says(Finding finding, string words) =>
        RiskWording.Spanish.Describe(finding).Contains(words, StringComparison.Ordinal);
}
